package io.templateworker.luau.lib;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.LuauThread;

import java.util.Arrays;

/**
 * A growable byte array for building Luau strings (gsub, format, concat, rep).
 *
 * <p>Growth is charged to the VM's memory budget through {@link LuauThread#allocate(long)} before the
 * array is enlarged, so a script building a huge string fails with "not enough memory" instead of
 * taking the JVM down. Charging starts past a small threshold so short strings cost nothing extra.
 */
final class ByteBuilder {

  /** Arrays up to this size are not charged: their cost is in the noise of the interpreter. */
  private static final int FREE_BYTES = 4096;
  /** Longest string a library builds, as Luau (whose allocator refuses larger blocks). */
  static final int MAX_LENGTH = LuauString.MAX_LENGTH;

  private final LuauThread thread;
  private byte[] buf;
  private int len;

  ByteBuilder(LuauThread thread, int capacity) {
    this.thread = thread;
    int cap = Math.max(16, capacity);
    charge(0, cap);
    this.buf = new byte[cap];
  }

  int length() {
    return len;
  }

  void append(int b) {
    if (len == buf.length) {
      grow(len + 1);
    }
    buf[len++] = (byte) b;
  }

  void append(byte[] b) {
    append(b, 0, b.length);
  }

  void append(byte[] b, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    ensure(n);
    System.arraycopy(b, from, buf, len, n);
    len += n;
  }

  void append(LuauString s) {
    append(s.bytes());
  }

  /** Appends ASCII text (number formatting output). */
  void appendAscii(CharSequence s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  void repeat(int b, int count) {
    if (count <= 0) {
      return;
    }
    ensure(count);
    Arrays.fill(buf, len, len + count, (byte) b);
    len += count;
  }

  /** The built string. The unused part of a charged buffer goes back to the budget. */
  LuauString toLuauString() {
    if (thread != null && buf.length > FREE_BYTES) {
      thread.vm().release(buf.length - Math.max(len, FREE_BYTES));
    }
    return LuauString.wrap(len == buf.length ? buf : Arrays.copyOf(buf, len));
  }

  private void ensure(int extra) {
    if ((long) len + extra > buf.length) {
      grow((long) len + extra);
    }
  }

  private void grow(long needed) {
    if (needed > MAX_LENGTH) {
      throw io.templateworker.luau.errors.Errors.blockTooBig();
    }
    long cap = Math.max(needed, (long) buf.length * 2);
    if (cap > MAX_LENGTH) {
      cap = MAX_LENGTH;
    }
    charge(buf.length, cap);
    buf = Arrays.copyOf(buf, (int) cap);
  }

  private void charge(long oldCap, long newCap) {
    if (thread != null && newCap > FREE_BYTES) {
      thread.allocate(newCap - Math.max(oldCap, FREE_BYTES));
    }
  }
}
