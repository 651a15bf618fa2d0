package io.templateworker.storage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void libpq_url_is_split_into_jdbc_url_user_and_password() {
        PostgresUrl url = PostgresUrl.parse("postgres://antiraid:p%40ss@db.local:5433/antiraid?sslmode=disable");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/antiraid?sslmode=disable");
        assertThat(url.user()).isEqualTo("antiraid");
        assertThat(url.password()).isEqualTo("p@ss");
    }

    @Test
    void url_without_credentials_or_port_is_accepted() {
        PostgresUrl url = PostgresUrl.parse("postgresql://localhost/tw");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/tw");
        assertThat(url.user()).isNull();
        assertThat(url.password()).isNull();
    }

    @Test
    void jdbc_url_passes_through() {
        assertThat(PostgresUrl.parse("jdbc:postgresql://h:1/d?user=u").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/d?user=u");
    }

    @Test
    void other_schemes_are_rejected_without_echoing_the_password() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://root:hunter2@h/d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgres://")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void redact_hides_passwords_in_both_forms() {
        assertThat(PostgresUrl.redact("postgres://u:pw@h:5432/d")).isEqualTo("postgres://u:***@h:5432/d");
        assertThat(PostgresUrl.redact("jdbc:postgresql://h/d?user=u&password=pw&x=1"))
                .isEqualTo("jdbc:postgresql://h/d?user=u&password=***&x=1");
    }
}
