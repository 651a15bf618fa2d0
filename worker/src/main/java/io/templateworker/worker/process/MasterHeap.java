package io.templateworker.worker.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * The process-pool master's heap. The service's JVM runs ZGC without proactive cycles and without a soft heap maximum
 * (the thread pool, which runs every tenant's VM in that JVM, needs the room). A process-pool master keeps only ~60 MB
 * live, yet without a maximum it filled ¼ of the machine's memory (5 GB here) before each young collection; so a
 * process-pool master caps itself at 1 GB as its children are ({@link ChildLauncher#DEFAULT_EXTRA_JVM_OPTIONS}).
 * {@code SoftMaxHeapSize} is a manageable option, so it is set at run time, once the mode is known.
 */
public final class MasterHeap {
  /** The soft maximum a process-pool master sets itself. */
  public static final long SOFT_MAX_BYTES = 1L << 30;

  private static final String OPTION = "SoftMaxHeapSize";

  private MasterHeap() {}

  /**
   * Sets this JVM's {@code SoftMaxHeapSize} to {@link #SOFT_MAX_BYTES} unless the command line (or anything else) set
   * it already or the heap's maximum is not above it. Returns whether it did.
   */
  public static boolean capSoftMaximum() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    VMOption current = hotspot.getVMOption(OPTION);
    boolean chosenByTheJvm = current.getOrigin() == VMOption.Origin.DEFAULT
        || current.getOrigin() == VMOption.Origin.ERGONOMIC;
    if (!chosenByTheJvm || Runtime.getRuntime().maxMemory() <= SOFT_MAX_BYTES) {
      return false;
    }
    hotspot.setVMOption(OPTION, Long.toString(SOFT_MAX_BYTES));
    return true;
  }
}
