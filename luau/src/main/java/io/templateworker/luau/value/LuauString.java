package io.templateworker.luau.value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An immutable Luau string: arbitrary bytes (not UTF-16), content equality, cached hash. */
public final class LuauString implements Comparable<LuauString> {
  public static final LuauString EMPTY = new LuauString(new byte[0]);
  /** The longest string Luau makes (its MAXSSIZE, 1 GiB): longer results fail with "string length overflow". */
  public static final int MAX_LENGTH = 1 << 30;

  private final byte[] bytes;
  /**
   * Cached hash, 0 until computed. One int field, never 0 once set: compiled chunks share their string
   * constants across threads, and a racy single-field cache is safe where a value-plus-flag pair is not.
   */
  private int hash;

  /** Strings at least this long are charged to the running VM's memory budget when created. */
  private static final int ACCOUNTED_LENGTH = 256;

  private LuauString(byte[] bytes) {
    this.bytes = bytes;
    if (bytes.length >= ACCOUNTED_LENGTH) {
      account(bytes.length);
    }
  }

  /** Memory accounting (see {@link LuauTable#GROWTH_ACCOUNT}): long strings from any library count. */
  private static void account(int length) {
    java.util.function.LongConsumer a = LuauTable.GROWTH_ACCOUNT.get();
    if (a != null) {
      a.accept(40L + length);
    }
  }

  /** Canonical instances of short names (identifiers, library keys), so table lookups hit by identity. */
  private static final java.util.concurrent.ConcurrentHashMap<LuauString, LuauString> NAMES =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_NAME_LENGTH = 64;
  /** Bounds the pool: hostile code compiling endless distinct identifiers cannot grow it without limit. */
  private static final int MAX_NAMES = 100_000;

  /**
   * The canonical instance of a short string (the compiler's names and constants, library keys); other strings
   * are returned as they are. Lookups with a canonical key in a table keyed by canonical instances compare by
   * identity instead of by content.
   */
  public static LuauString intern(LuauString s) {
    if (s.bytes.length > MAX_NAME_LENGTH) {
      return s;
    }
    LuauString c = NAMES.get(s);
    if (c != null) {
      return c;
    }
    if (NAMES.size() >= MAX_NAMES) {
      return s;
    }
    c = NAMES.putIfAbsent(s, s);
    return c == null ? s : c;
  }

  public static LuauString of(String s) {
    return new LuauString(s.getBytes(StandardCharsets.UTF_8));
  }

  public static LuauString of(byte[] b) {
    return new LuauString(b.clone());
  }

  /** Takes ownership of {@code b}: the caller must not modify it afterwards. */
  public static LuauString wrap(byte[] b) {
    return new LuauString(b);
  }

  /** The internal array: never mutate. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  public int byteAt(int i) {
    return bytes[i] & 0xFF;
  }

  public LuauString substring(int from, int to) {
    if (from == 0 && to == bytes.length) {
      return this;
    }
    return new LuauString(Arrays.copyOfRange(bytes, from, to));
  }

  public LuauString concat(LuauString other) {
    checkLength((long) bytes.length + other.bytes.length);
    byte[] r = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
    System.arraycopy(other.bytes, 0, r, bytes.length, other.bytes.length);
    return new LuauString(r);
  }

  /** Throws Luau's "string length overflow" when a result of {@code length} bytes would exceed {@link #MAX_LENGTH}. */
  public static void checkLength(long length) {
    if (length > MAX_LENGTH) {
      throw io.templateworker.luau.errors.LuauError.runtime("string length overflow");
    }
  }

  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LuauString s)) {
      return false;
    }
    int h1 = hash;
    int h2 = s.hash;
    if (s.bytes.length != bytes.length || (h1 != 0 && h2 != 0 && h1 != h2)) {
      return false;
    }
    return Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = bytes.length;
      for (byte b : bytes) {
        h = 31 * h + b;
      }
      h ^= h >>> 16;
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  /** Luau's string order: unsigned byte comparison, shorter prefix first. */
  @Override
  public int compareTo(LuauString o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}
