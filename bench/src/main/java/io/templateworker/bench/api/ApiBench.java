package io.templateworker.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.bench.Bench;
import io.templateworker.bench.Results;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the service in local mode through {@code bin/template-worker}, logs in a root user with the development login
 * (root users are exempt from the per-user limit), and drives two routes over keep-alive connections:
 * {@code GET /sessions/@me} (cheap: token check, JSON answer) and {@code POST /guilds/{id}/events} (a dispatch to the
 * demo guild's templates). Prints requests/s and p50/p99 per route, the share of the machine's CPU the load generator
 * and the service used meanwhile (the client runs on the same cores: its share is CPU the server did not get), and the
 * load average while measuring (the machine is shared: read the figures beside it).
 *
 * <p>Before measuring, the OpenAPI document is fetched (the service generates it once, off the start-up path; a
 * measurement overlapping that would describe swagger-core) and both routes are warmed up, so the JIT has compiled
 * the request path before either route is measured.
 *
 * <p>Args: {@code [--seconds N]} per route (default 10), {@code [--connections N]} (default 8),
 * {@code [--launcher PATH]} (default bin/template-worker).
 */
public final class ApiBench implements Bench {

    static final String ROOT_USER = "100000000000000001";
    /** The mock Discord's demo guild (local mode). */
    static final String GUILD = "1064135068928454766";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void run(String[] args, Results results) throws Exception {
        int seconds = 10;
        int connections = 8;
        Path launcher = Path.of(System.getProperty("tw.root", "."), "bin", "template-worker");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--launcher" -> launcher = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "' (expected --seconds N, --connections N or --launcher PATH)");
            }
        }
        Path dataDir = Files.createTempDirectory("tw-api-bench");
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--data-dir", dataDir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + port);
        pb.environment().put("TW_DISCORD_AUTH_ROOT_USERS", ROOT_USER);
        pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
        Process service = pb.start();
        try {
            awaitHealthy(service, port, log);
            String token = devLogin(port);
            byte[] sessionsMe = HttpLoad.request("GET", "/sessions/@me", token, null);
            byte[] events = HttpLoad.request("POST", "/guilds/" + GUILD + "/events", token,
                    "{\"name\": \"WebBench\", \"data\": {\"Text\": \"hi\"}}");
            awaitOpenApi(port);
            Duration warmUp = Duration.ofSeconds(Math.max(3, seconds / 2));
            HttpLoad.run(port, sessionsMe, connections, warmUp);
            HttpLoad.run(port, events, connections, warmUp);
            results.report("api.load_average.before", loadAverage(), "");
            measure(results, "api.sessions_me", service, port, sessionsMe, connections, seconds);
            measure(results, "api.events", service, port, events, connections, seconds);
            results.report("api.load_average.after", loadAverage(), "");
        } finally {
            service.destroy();
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            deleteTree(dataDir);
            Files.deleteIfExists(log);
        }
    }

    private void measure(Results results, String name, Process service, int port, byte[] request, int connections,
                         int seconds) throws Exception {
        long serverCpuBefore = cpuNanos(service);
        long clientCpuBefore = cpuNanos(ProcessHandle.current());
        HttpLoad.Result r = HttpLoad.run(port, request, connections, Duration.ofSeconds(seconds));
        long serverCpu = cpuNanos(service) - serverCpuBefore;
        long clientCpu = cpuNanos(ProcessHandle.current()) - clientCpuBefore;
        double machineNanos = r.seconds() * 1e9 * Runtime.getRuntime().availableProcessors();
        results.report(name + ".requests_per_s", r.perSecond(), "req/s");
        results.report(name + ".p50", r.p50Nanos() / 1e6, "ms");
        results.report(name + ".p99", r.p99Nanos() / 1e6, "ms");
        // Shares of all cores together (100 % = every core busy for the whole run). The client's is its whole JVM;
        // its load threads alone are the second figure.
        results.report(name + ".client_cpu_share", 100 * clientCpu / machineNanos, "% of " + Runtime.getRuntime().availableProcessors() + " cores");
        results.report(name + ".client_threads_cpu_share", 100 * r.clientCpuNanos() / machineNanos, "%");
        results.report(name + ".server_cpu_share", 100 * serverCpu / machineNanos, "%");
        if (serverCpu > 0) {
            results.report(name + ".server_cpu_per_request", serverCpu / 1e3 / Math.max(1, r.requests()), "µs");
        }
        for (var e : r.statuses().entrySet()) {
            results.report(name + ".status_" + e.getKey(), e.getValue(), "responses");
        }
    }

    /** CPU time a process used so far (user + system), or 0 when the platform does not say. */
    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long cpuNanos(Process process) {
        return cpuNanos(process.toHandle());
    }

    /** Fetches the OpenAPI document, which makes the service generate it now rather than during a measurement. */
    private void awaitOpenApi(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /openapi answered " + r.statusCode() + ": " + r.body());
        }
    }

    private String devLogin(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/dev"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\": \"" + ROOT_USER + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the development login failed: " + r.statusCode() + " " + r.body());
        }
        JsonNode body = json.readTree(r.body());
        return body.path("token").asText();
    }

    private void awaitHealthy(Process process, int port, Path log) throws Exception {
        URI health = URI.create("http://127.0.0.1:" + port + "/healthcheck");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not healthy within 300 s:\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
