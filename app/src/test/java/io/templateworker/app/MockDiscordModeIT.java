package io.templateworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --worker-type mockdiscord} from the fat jar: serves the mock with the demo guild, exits 0 on SIGTERM. */
class MockDiscordModeIT {

    @TempDir
    Path dir;

    @Test
    void mockdiscord_mode_serves_the_demo_guild_and_stops_on_sigterm() throws Exception {
        Path jar = Path.of(System.getProperty("tw.jar", "target/template-worker.jar"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("mock.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--worker-type", "mockdiscord"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:" + port);
        Process process = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest state = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/__mock/state"))
                    .timeout(Duration.ofSeconds(5)).build();
            String body = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (body == null && System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("mock still running; log:%n%s", Files.readString(log)).isTrue();
                try {
                    body = http.send(state, HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(body).contains("1064135068928454766").contains("general");
            assertThat(Files.exists(dir.resolve("data"))).as("no database in this mode").isFalse();
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("log:%n%s", Files.readString(log)).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
