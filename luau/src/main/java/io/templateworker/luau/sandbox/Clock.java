package io.templateworker.luau.sandbox;

/** Monotonic time in nanoseconds; a port so tests can drive the time slice without sleeping. */
@FunctionalInterface
public interface Clock {
  Clock SYSTEM = System::nanoTime;

  long nanoTime();
}
