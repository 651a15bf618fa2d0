package io.templateworker.storage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void embedded_database_migrates_once_and_keeps_its_data_across_restarts() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        try (Database db = Database.open(DatabaseOptions.embedded(pgDir, 2))) {
            assertThat(db.isEmbedded()).isTrue();
            assertThat(db.migrate()).as("first run applies every migration").isGreaterThanOrEqualTo(1);
            assertThat(db.migrate()).as("second run has nothing to do").isZero();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into tenant_state (owner_id, owner_type) values ('1234', 'guild')");
            }
        }
        try (Database db = Database.open(DatabaseOptions.embedded(pgDir, 2))) {
            assertThat(db.migrate()).as("restart with a current schema").isZero();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select owner_id, events, banned from tenant_state")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1234");
                assertThat((String[]) rs.getArray(2).getArray()).isEmpty();
                assertThat(rs.getBoolean(3)).isFalse();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void unreachable_server_fails_with_the_url_but_not_the_password() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "postgres://tw:s3cret@127.0.0.1:" + closedPort + "/tw";
        assertThatThrownBy(() -> Database.open(DatabaseOptions.external(url, 1)))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("check that the server is running")
                .hasMessageNotContaining("s3cret");
    }
}
