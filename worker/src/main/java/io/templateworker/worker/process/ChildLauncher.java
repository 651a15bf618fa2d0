package io.templateworker.worker.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one child worker process. The child gets {@code --worker-type processpoolworker --worker-id i
 * --process-workers n}, its token in {@value #TOKEN_ENV}, the master's Mesophyll address in {@value #ADDR_ENV} and,
 * when the master accepts on one, its Unix domain socket in {@value #SOCKET_ENV} (the child then connects there); its
 * stdin is a pipe from the master, so the child sees end-of-file when the master dies.
 */
@FunctionalInterface
public interface ChildLauncher {
  String TOKEN_ENV = "MESOPHYLL_CLIENT_TOKEN";
  String ADDR_ENV = "MESOPHYLL_SERVER_ADDR";
  String SOCKET_ENV = "MESOPHYLL_SERVER_SOCKET";
  /** Set to {@code 1} for a standby child: it warms up, then waits for a line {@value #GO} on stdin before connecting. */
  String STANDBY_ENV = "TW_WORKER_STANDBY";
  String GO = "go";

  /**
   * The JVM options the service starts its children with (before the config's {@code workers.child_jvm_options}):
   * the Luau stack, ZGC (pauses well under a millisecond; G1's young pauses of 10-180 ms at thousands of tenants were
   * the whole p99 of an event under load) without its proactive cycles, and no tracking of every virtual thread (a
   * parked coroutine is collectable). A proactive cycle is a major collection ZGC starts on its own when it deems one
   * cheap: at 100 000 events/s a child ran one every 2-3 s, marking the whole heap for 35-75 ms, and on a 2-core
   * machine nearly every run of events over 1 ms began inside one. Without them the heap is collected by young
   * collections as it nears the soft maximum (5-9 ms each, every ~4 s at that rate).
   */
  List<String> SERVICE_JVM_OPTIONS =
      List.of("-Xss16m", "-XX:+UseZGC", "-XX:-ZProactive", "-Djdk.trackAllThreads=false");

  /** Options of {@link #SERVICE_JVM_OPTIONS} that belong to ZGC: dropped when another collector is chosen. */
  List<String> ZGC_OPTIONS = List.of("-XX:+UseZGC", "-XX:-ZProactive");

  /**
   * The default of the config's {@code workers.child_jvm_options}: ZGC keeps a child's heap near 1 GB (it may grow
   * past it rather than stall; a child of 5 000 tenants keeps ~300-400 MB live). Without it a child's heap grew towards
   * ¼ of the machine's memory, and ZGC's three warm-up cycles, at 10/20/30 % of that, ran for the first 20-40 s of load.
   */
  String DEFAULT_EXTRA_JVM_OPTIONS = "-XX:SoftMaxHeapSize=1g";

  /**
   * {@link #SERVICE_JVM_OPTIONS} followed by {@code extra} (space-separated, e.g. a heap size; later options win), where
   * a collector chosen in {@code extra} replaces the service's (the JVM refuses to start with two).
   */
  static List<String> serviceJvmOptions(String extra) {
    List<String> given = extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    boolean collectorGiven = given.stream().anyMatch(ChildLauncher::choosesCollector);
    List<String> options = new ArrayList<>();
    for (String option : SERVICE_JVM_OPTIONS) {
      if (!(collectorGiven && ZGC_OPTIONS.contains(option))) {
        options.add(option);
      }
    }
    options.addAll(given);
    return options;
  }

  private static boolean choosesCollector(String option) {
    return option.matches("-XX:\\+Use[A-Za-z0-9]*GC");
  }

  /**
   * Starts a child. A {@code standby} child gets {@value #STANDBY_ENV}{@code =1}: it loads and warms up, then
   * waits until the master writes {@value #GO} to its stdin, so a crashed worker is replaced in milliseconds.
   * {@code unixSocket}: the Mesophyll server's Unix domain socket, or null (the child connects over TCP).
   */
  Process start(int workerId, int workers, String token, String mesophyllAddr, Path unixSocket, boolean standby)
      throws IOException;

  /**
   * Runs {@code mainClass} in a new JVM of the same Java installation with the current class path (with
   * {@code java -jar app.jar} that is the jar), passing {@code extraArgs} after the worker arguments.
   */
  static ChildLauncher sameJvm(String mainClass, List<String> jvmArgs, List<String> extraArgs) {
    return sameJvm(mainClass, jvmArgs, extraArgs, null);
  }

  /**
   * As {@link #sameJvm(String, List, List)}, with the child's stdout and stderr appended to
   * {@code logDir/worker-<id>.log} ({@code null}: inherited from the master).
   */
  static ChildLauncher sameJvm(String mainClass, List<String> jvmArgs, List<String> extraArgs, File logDir) {
    return (workerId, workers, token, addr, unixSocket, standby) -> {
      List<String> cmd = new ArrayList<>();
      cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
      // Mesophyll's msgpack reads buffers through sun.misc.Unsafe: allowed, without JDK 25's warning on every start
      cmd.add("--sun-misc-unsafe-memory-access=allow");
      // Luau coroutines run as the JDK's continuations (luau.vm.Continuations): a child runs the templates
      cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
      cmd.addAll(jvmArgs);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(mainClass);
      cmd.add("--worker-type");
      cmd.add("processpoolworker");
      cmd.add("--worker-id");
      cmd.add(Integer.toString(workerId));
      cmd.add("--process-workers");
      cmd.add(Integer.toString(workers));
      cmd.addAll(extraArgs);
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put(TOKEN_ENV, token);
      pb.environment().put(ADDR_ENV, addr);
      if (unixSocket != null) {
        pb.environment().put(SOCKET_ENV, unixSocket.toString());
      }
      if (standby) {
        pb.environment().put(STANDBY_ENV, "1");
      }
      if (logDir == null) {
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      } else {
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logDir, "worker-" + workerId + ".log")));
        pb.redirectErrorStream(true);
      }
      return pb.start();
    };
  }
}
