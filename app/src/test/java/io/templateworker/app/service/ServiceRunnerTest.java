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
                    .contains("luau_jit_functions{result=\"compiled\"}")
                    .contains("luau_internal_errors_total");
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
    void a_port_in_use_fails_start_in_one_line_before_the_database_starts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            AppContext ctx = context(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + taken.getLocalPort()));
            List<String> ran = new ArrayList<>();
            assertThatThrownBy(() -> ServiceRunner.start(ctx, service -> ran.add("extension")))
                    .isInstanceOf(ServiceRunner.StartupException.class)
                    .hasMessageContaining("addrs.template_worker 127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("TW_ADDRS_TEMPLATE_WORKER")
                    .hasMessageNotContaining("\n")
                    .hasNoCause();
            assertThat(ran).isEmpty();
            assertThat(dir.resolve("data/postgres")).as("the database was not started").doesNotExist();
        }
    }

    @Test
    void a_data_folder_in_use_is_refused_and_tools_use_the_running_services_database() throws Exception {
        AppContext first = context(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:0"));
        try (RunningService running = ServiceRunner.start(first, service -> { })) {
            long pid = ProcessHandle.current().pid();
            AppContext second = context(Map.of("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:0"));
            assertThatThrownBy(() -> ServiceRunner.start(second, service -> { }))
                    .isInstanceOf(ServiceRunner.StartupException.class)
                    .hasMessageContaining("data folder " + dir.resolve("data") + " is in use by a running template-worker")
                    .hasMessageContaining("pid " + pid).hasMessageContaining("http://127.0.0.1:" + running.port())
                    .hasMessageContaining("--data-dir").hasNoCause();
            JsonNode info = json.readTree(dir.resolve("data/service.json").toFile());
            assertThat(info.path("postgres_port").asInt()).isPositive();

            try (ServiceRunner.ToolDatabase tool = ServiceRunner.openDatabaseForTool(first)) {
                assertThat(tool.database().isEmbedded()).as("attached, not a second server").isFalse();
                assertThat(tool.database().description()).contains(":" + info.path("postgres_port").asInt() + "/");
                assertThat(tool.database().migrate()).isZero();
            }
            assertThat(get(running.port(), "/healthcheck").statusCode()).as("the service is unaffected").isEqualTo(200);
        }
        assertThat(dir.resolve("data/service.json")).as("removed at a clean stop").doesNotExist();
        // With no service running, a tool starts the embedded server itself and releases the folder afterwards.
        try (ServiceRunner.ToolDatabase tool = ServiceRunner.openDatabaseForTool(first)) {
            assertThat(tool.database().isEmbedded()).isTrue();
        }
        assertThat(DataDirClaim.runningService(dir.resolve("data"))).isEmpty();
    }
}
