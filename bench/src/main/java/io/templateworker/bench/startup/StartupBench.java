package io.templateworker.bench.startup;

import io.templateworker.bench.Bench;
import io.templateworker.bench.LaunchedService;
import io.templateworker.bench.Results;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts the service in local mode through {@code bin/template-worker} (so with its JVM options and
 * class-data archive) and measures, from process start to the first 200 on {@code /healthcheck}: a cold start (empty data directory,
 * so the embedded PostgreSQL cluster is initialised and migrated) and warm starts (same directory again);
 * plus the time from SIGTERM to exit. Every run must exit 0.
 *
 * <p>Args: {@code [--runs N]} warm runs (default 3), {@code [--launcher PATH]} (default bin/template-worker).
 */
public final class StartupBench implements Bench {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public void run(String[] args, Results results) throws Exception {
        int runs = 3;
        Path launcher = Path.of(System.getProperty("tw.root", "."), "bin", "template-worker");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--launcher" -> launcher = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --runs N or --launcher PATH)");
            }
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is not an executable launcher");
        }
        Path dataDir = Files.createTempDirectory("tw-startup-bench");
        try {
            long[] cold = startAndStop(launcher, dataDir);
            results.report("startup.cold_to_healthy", cold[0], "ms");
            long[] warm = new long[runs];
            long[] stop = new long[runs + 1];
            stop[0] = cold[1];
            for (int i = 0; i < runs; i++) {
                long[] r = startAndStop(launcher, dataDir);
                warm[i] = r[0];
                stop[i + 1] = r[1];
            }
            results.report("startup.warm_to_healthy.median", LaunchedService.median(warm), "ms");
            results.report("startup.sigterm_to_exit.median", LaunchedService.median(stop), "ms");
        } finally {
            LaunchedService.deleteTree(dataDir);
        }
    }

    /** Returns {launch-to-healthy ms, SIGTERM-to-exit ms}. */
    private long[] startAndStop(Path launcher, Path dataDir) throws Exception {
        try (LaunchedService service = LaunchedService.launch(launcher, dataDir, 180)) {
            URI health = URI.create(service.base() + "/healthcheck");
            while (true) {
                service.check("healthy /healthcheck");
                try {
                    if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            long healthy = System.nanoTime();
            service.stop();
            long exited = System.nanoTime();
            return new long[] {TimeUnit.NANOSECONDS.toMillis(healthy - service.startNanos()), TimeUnit.NANOSECONDS.toMillis(exited - healthy)};
        }
    }
}
