package io.templateworker.worker.testing;

import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.process.ProcessWorkerMain;

/** A process-pool child running the scripted isolates: what the process-pool tests spawn. */
public final class ScriptedChildMain {
  private ScriptedChildMain() {}

  public static void main(String[] args) {
    ProcessWorkerMain.run(args, new ScriptedIsolates(), WorkerConfig.DEFAULTS);
  }
}
