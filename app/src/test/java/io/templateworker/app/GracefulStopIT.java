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

/** Runs the real fat jar as a child process: healthy in local mode, then SIGTERM → exit 0. */
class GracefulStopIT {

    @TempDir
    Path dir;

    @Test
    void fat_jar_becomes_healthy_and_exits_0_on_sigterm() throws Exception {
        Path jar = Path.of(System.getProperty("tw.jar", "target/template-worker.jar"));
        assertThat(jar).as("the shaded jar (built by mvn package)").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("service.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--data-dir", dir.resolve("data").toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + port);
        pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
        Process process = pb.start();
        try {
            waitHealthy(process, port, log);
            // The document is generated in the background after the listener starts (swagger-core is slow to
            // warm up, tens of seconds on a busy machine): the first request may wait for it.
            HttpResponse<String> openapi = get(port, "/openapi", Duration.ofSeconds(90));
            assertThat(openapi.body()).contains("\"openapi\":\"3.1");

            process.destroy(); // SIGTERM on Linux
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s of SIGTERM").isTrue();
            assertThat(process.exitValue()).as("exit code; log:%n%s", Files.readString(log)).isZero();
            String output = Files.readString(log);
            assertThat(output).contains("healthy in").contains("received SIGTERM").contains("stopped cleanly");
            // Local mode (no discord_auth.token) runs the mock Discord in-process and logs where.
            assertThat(output).contains("mock Discord on http://127.0.0.1:").contains("demo guild 1064135068928454766")
                    .contains("Discord REST API: http://127.0.0.1:");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void restart_after_a_hard_kill_recovers_the_embedded_database() throws Exception {
        Path data = dir.resolve("data");
        Process first = start(data, dir.resolve("first.log"));
        try {
            waitHealthy(first, port, dir.resolve("first.log"));
        } finally {
            first.destroyForcibly(); // SIGKILL: PostgreSQL is left running with its pid file
            first.waitFor(30, TimeUnit.SECONDS);
        }
        Path log = dir.resolve("second.log");
        Process second = start(data, log);
        try {
            waitHealthy(second, port, log);
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as("exit code; log:%n%s", Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("left running").contains("0 migration(s) applied");
        } finally {
            second.destroyForcibly();
        }
    }

    private int port;

    private Process start(Path data, Path log) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path jar = Path.of(System.getProperty("tw.jar", "target/template-worker.jar"));
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--data-dir", data.toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + port);
        pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
        return pb.start();
    }

    private static void waitHealthy(Process process, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + " before it was healthy:\n"
                        + Files.readString(log));
            }
            try {
                if (get(port, "/healthcheck").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("service not healthy within 120 s:\n" + Files.readString(log));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return get(port, path, Duration.ofSeconds(5));
    }

    private static HttpResponse<String> get(int port, String path, Duration timeout) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }
}
