package io.templateworker.luau.cli;

import java.io.PrintStream;

/** Lets the differential harness (another package) run {@code bin/luau}'s entry point in this JVM. */
public final class MainAccess {
  private MainAccess() {
  }

  public static int run(String[] argv, PrintStream out, PrintStream err) {
    return Main.run(argv, out, err);
  }
}
