package io.templateworker.worker.process;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's stop-the-world collector pauses, counted as the collector reports them: how many, their total and the
 * longest since last asked. A process-pool child sends them to the master once a second with its stats
 * ({@link #addTo}), so that {@code bin/bench dispatch} can print each JVM's pauses beside the latency they cause.
 *
 * <p>Every collector bean counts pauses except the concurrent ones (ZGC's and Shenandoah's "… Cycles"): G1's and
 * Parallel's beans are their pauses, ZGC's "… Pauses" beans its (sub-millisecond) pauses. Times are whole
 * milliseconds, as the beans report them.
 */
public final class GcPauses {
  /** Keys of a child's stats snapshot. */
  static final String COUNT = "gc_pauses";
  static final String TOTAL_MS = "gc_pause_ms";
  static final String LONGEST_MS = "gc_pause_longest_ms";
  static final String CYCLES = "gc_concurrent_cycles";
  static final String ALLOCATED = "heap_allocated_bytes";

  private static final GcPauses OWN = new GcPauses();

  private final AtomicLong longestMs = new AtomicLong();

  private GcPauses() {
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (isPauses(bean) && bean instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            long ms = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                .getGcInfo().getDuration();
            longestMs.accumulateAndGet(ms, Math::max);
          }
        }, null, null);
      }
    }
  }

  /** This JVM's pauses (starts listening on first use). */
  public static GcPauses own() {
    return OWN;
  }

  private static boolean isPauses(GarbageCollectorMXBean bean) {
    return !bean.getName().endsWith("Cycles");
  }

  /**
   * Pauses so far, their total milliseconds, the longest since the previous call (which it resets), and the concurrent
   * cycles so far (ZGC's minor and major cycles; none for G1, whose concurrent marking has no bean of its own).
   */
  public Snapshot take() {
    long count = 0;
    long totalMs = 0;
    long cycles = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (isPauses(bean)) {
        count += Math.max(0, bean.getCollectionCount());
        totalMs += Math.max(0, bean.getCollectionTime());
      } else {
        cycles += Math.max(0, bean.getCollectionCount());
      }
    }
    return new Snapshot(count, totalMs, longestMs.getAndSet(0), cycles);
  }

  /**
   * Heap bytes this JVM's threads allocated so far, what drives its collector: every thread's, live or ended, and a
   * virtual thread's count on the carrier it ran on (HotSpot counts a thread's TLAB allocation per carrier).
   */
  public static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
  }

  /** Adds {@link #take()} and {@link #allocatedBytes()} to a child's stats snapshot. */
  void addTo(Map<String, Long> stats) {
    Snapshot s = take();
    stats.put(COUNT, s.count());
    stats.put(TOTAL_MS, s.totalMs());
    stats.put(LONGEST_MS, s.longestMs());
    stats.put(CYCLES, s.concurrentCycles());
    stats.put(ALLOCATED, allocatedBytes());
  }

  /** The heap bytes allocated as of a child's stats snapshot ({@link #allocatedBytes()} there), -1 if it has none. */
  static long allocatedOf(Map<String, Long> stats) {
    return stats.getOrDefault(ALLOCATED, -1L);
  }

  /**
   * Pause figures: {@code count}, {@code totalMs} and {@code concurrentCycles} cumulative since the JVM started,
   * {@code longestMs} the longest pause in the interval the snapshot covers.
   */
  public record Snapshot(long count, long totalMs, long longestMs, long concurrentCycles) {

    /** The pauses and cycles between {@code earlier} and this snapshot (the longest is this snapshot's). */
    public Snapshot since(Snapshot earlier) {
      return new Snapshot(count - earlier.count, totalMs - earlier.totalMs, longestMs,
          concurrentCycles - earlier.concurrentCycles);
    }

    static Snapshot of(Map<String, Long> stats) {
      return new Snapshot(stats.getOrDefault(COUNT, 0L), stats.getOrDefault(TOTAL_MS, 0L),
          stats.getOrDefault(LONGEST_MS, 0L), stats.getOrDefault(CYCLES, 0L));
    }
  }
}
