package io.templateworker.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.app.AppContext;
import io.templateworker.app.CliOptions;
import io.templateworker.app.WorkerType;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigLoader;
import io.templateworker.storage.testing.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRunnerTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private AppContext context(Map<String, String> env) {
        AppConfig config = ConfigLoader.load(null, dir.resolve("data"), env, dir);
        CliOptions options = new CliOptions(WorkerType.THREADPOOL, 3, null, null, false, null, null);
        return new AppContext(options, config, System.currentTimeMillis(), "test");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void boots_in_local_mode_with_embedded_postgres_and_serves_the_skeleton() throws Exception {
        List<String> events = new ArrayList<>();
        AppContext ctx = context(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:0"));
        RunningService running = ServiceRunner.start(ctx, service -> {
            try (Connection c = service.database().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from templates")) {
                rs.next();
                events.add("schema migrated before extensions run: " + rs.getLong(1));
            }
            service.addRouteGroup(routes -> routes.get("/i/threads-count").summary("Workers").response(Integer.class)
                    .handle(c -> c.json(4)));
            service.addWorker(() -> events.add("worker closed"));
        });
        try {
            int port = running.port();
            assertThat(get(port, "/healthcheck").body()).isEqualTo("null");
            JsonNode doc = json.readTree(get(port, "/openapi").body());
            assertThat(doc.path("openapi").asText()).startsWith("3.1");
            assertThat(doc.path("paths").has("/healthcheck")).isTrue();
            assertThat(get(port, "/docs").body()).contains("swagger-ui");
            HttpResponse<String> missing = get(port, "/nope");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json.readTree(missing.body()).path("code").asText()).isEqualTo("NotFound");
            assertThat(get(port, "/i/threads-count").body()).isEqualTo("4");
            assertThat(get(port, "/metrics").body()).contains("jvm_memory_used_bytes").contains("database_available 1.0")
                    .contains("luau_jit_functions{result=\"compiled\"}");
            assertThatThrownBy(() -> running.service().addWorker(() -> { }))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            running.close();
        }
        assertThat(events).containsExactly("schema migrated before extensions run: 0", "worker closed");
        assertThat(dir.resolve("data/postgres/PG_VERSION")).exists();
        assertThat(dir.resolve("data/objects")).as("local object storage root").isDirectory();
    }

    @Test
    void external_database_url_is_used_instead_of_the_embedded_server() throws Exception {
        String url = TestPostgres.freshDatabaseUrl();
        AppContext ctx = context(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:0", "TW_DATABASE_URL", url));
        try (RunningService running = ServiceRunner.start(ctx, service ->
                assertThat(service.database().isEmbedded()).isFalse())) {
            assertThat(get(running.port(), "/healthcheck").statusCode()).isEqualTo(200);
        }
        assertThat(dir.resolve("data/postgres")).doesNotExist();
    }

    @Test
    void a_port_in_use_fails_start_with_advice_and_releases_the_database() throws Exception {
        String url = TestPostgres.freshDatabaseUrl();
        try (ServerSocket taken = new ServerSocket(0)) {
            AppContext ctx = context(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + taken.getLocalPort(),
                    "TW_DATABASE_URL", url));
            List<String> closed = new ArrayList<>();
            assertThatThrownBy(() -> ServiceRunner.start(ctx, service -> service.addWorker(() -> closed.add("worker"))))
                    .isInstanceOf(ServiceRunner.StartupException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("TW_ADDRS_TEMPLATE_WORKER");
            assertThat(closed).containsExactly("worker");
        }
    }
}
