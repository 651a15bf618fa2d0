package io.templateworker.luau.embed;

import java.util.function.Consumer;

/**
 * A userdata payload that tells the VM's memory measurement what it holds: its own bytes
 * ({@link #retainedBytes}) and the Luau values it keeps alive ({@link #references}: a channel's message, a cached
 * module), so hiding a table inside a host object does not escape the memory limit.
 */
public interface SizedPayload {
  long retainedBytes();

  /** Hands every Luau value this payload keeps alive to {@code out} (default: none). */
  default void references(Consumer<Object> out) {
  }
}
