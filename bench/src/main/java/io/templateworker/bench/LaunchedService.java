package io.templateworker.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service started as an operator starts it — its launcher ({@code bin/template-worker}, so with its JVM options
 * and class-data archive) in local mode on a data folder, the API on a free port — for benches that time a start.
 * Closing it kills what is left and deletes its log.
 */
public final class LaunchedService implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final long startNanos;
  private final long deadlineNanos;

  private LaunchedService(Process process, Path log, int port, long startNanos, long deadlineNanos) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
  }

  /** Launches the service; {@link #check} fails once {@code patienceSeconds} have passed. */
  public static LaunchedService launch(Path launcher, Path dataDir, long patienceSeconds) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--data-dir", dataDir.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + port);
    pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
    long start = System.nanoTime();
    Process process = pb.start();
    return new LaunchedService(process, log, port, start, start + TimeUnit.SECONDS.toNanos(patienceSeconds));
  }

  /** {@code http://127.0.0.1:<port>}: the service's API. */
  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** When the launcher was started ({@link System#nanoTime}). */
  public long startNanos() {
    return startNanos;
  }

  /** Fails, with the service's log, if it has exited or the patience is over while waiting for {@code what}. */
  public void check(String what) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + Files.readString(log));
    }
    if (System.nanoTime() > deadlineNanos) {
      throw new IllegalStateException("no " + what + " in time after the launch:\n" + Files.readString(log));
    }
  }

  /** SIGTERM (the launcher execs the JVM, so the service itself gets it); requires exit 0 within 60 s. */
  public void stop() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("service did not exit within 60 s of SIGTERM:\n" + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("service exited with " + process.exitValue() + " after SIGTERM:\n" + Files.readString(log));
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(log);
  }

  /** Deletes a data folder and everything in it. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
