package io.templateworker.runtime.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text kept as received (upstream's {@code RawValue} event data, UPSTREAM.md §7.4): a gateway event's {@code d}.
 * It becomes Luau values only when a template reads the event (arrays get the array metatable, null is nil).
 */
public final class RawJson {
  private final byte[] utf8;

  private RawJson(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** Wraps UTF-8 JSON text; the array must not be changed afterwards. */
  public static RawJson of(byte[] utf8) {
    return new RawJson(utf8.clone());
  }

  /** Wraps UTF-8 JSON text without copying it (the caller gives the array up). */
  public static RawJson wrap(byte[] utf8) {
    return new RawJson(utf8);
  }

  public static RawJson of(String json) {
    return new RawJson(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The UTF-8 bytes; do not change them. */
  public byte[] bytes() {
    return utf8;
  }

  public int size() {
    return utf8.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawJson r && Arrays.equals(utf8, r.utf8);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(utf8);
  }

  @Override
  public String toString() {
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
