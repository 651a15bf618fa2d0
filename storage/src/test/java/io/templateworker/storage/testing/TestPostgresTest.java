package io.templateworker.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void fresh_databases_have_the_schema_and_do_not_share_rows() throws Exception {
        DataSource first = TestPostgres.freshDatabase();
        DataSource second = TestPostgres.freshDatabase();
        try (Connection c = first.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into users (user_id) values ('42')");
        }
        assertThat(count(first, "users")).isEqualTo(1);
        assertThat(count(second, "users")).isZero();
        assertThat(count(second, "templates")).isZero();
    }

    private static long count(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
