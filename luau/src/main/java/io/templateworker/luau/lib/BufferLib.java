package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The {@code buffer} library: fixed-size little-endian byte blocks. Offsets are C ints; every access is
 * bounds-checked ("buffer access out of bounds"); creation is capped at 1 GiB and charged to the VM's
 * memory budget before the array is allocated.
 */
public final class BufferLib {

  /** Luau's MAX_BUFFER_SIZE. */
  static final int MAX_SIZE = 1 << 30;

  private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private BufferLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable b = new LuauTable(0, 32);
    StringLib.reg(b, "create", BufferLib::create);
    StringLib.reg(b, "fromstring", BufferLib::fromstring);
    StringLib.reg(b, "tostring", (L, a) -> StringLib.one(LuauString.of(buf(a, "tostring").data())));
    StringLib.reg(b, "len", (L, a) -> StringLib.one((double) buf(a, "len").length()));
    String[] ints = {"i8", "u8", "i16", "u16", "i32", "u32", "f32", "f64"};
    for (int k = 0; k < ints.length; k++) {
      int kind = k;
      String rn = "read" + ints[k];
      String wn = "write" + ints[k];
      StringLib.reg(b, rn, (L, a) -> read(a, kind, rn));
      StringLib.reg(b, wn, (L, a) -> write(a, kind, wn));
    }
    StringLib.reg(b, "readstring", BufferLib::readstring);
    StringLib.reg(b, "writestring", BufferLib::writestring);
    StringLib.reg(b, "copy", BufferLib::copy);
    StringLib.reg(b, "fill", BufferLib::fill);
    StringLib.reg(b, "readbits", BufferLib::readbits);
    StringLib.reg(b, "writebits", BufferLib::writebits);
    StringLib.reg(b, "readinteger", BufferLib::readinteger);
    StringLib.reg(b, "writeinteger", BufferLib::writeinteger);
    globals.rawset(LuauString.of("buffer"), b);
  }

  private static LuauBuffer buf(Object[] a, String fname) {
    if (a.length > 0 && a[0] instanceof LuauBuffer b) {
      return b;
    }
    throw a.length == 0 ? Errors.typeMismatchMissing(1, fname, "buffer") : Errors.typeMismatch(1, fname, "buffer", a[0]);
  }

  private static int intArg(Object[] a, int i, String fname) {
    return MathLib.toInt(Args.checkNumber(a, i, fname));
  }

  /** True when [offset, offset + size) is not inside a buffer of length len (offset taken as unsigned). */
  private static boolean outOfBounds(int offset, int len, long size) {
    return (offset & 0xFFFFFFFFL) + size > len;
  }

  private static LuauError outOfBounds() {
    return LuauError.runtime("buffer access out of bounds");
  }

  private static LuauBuffer newBuffer(LuauThread L, long size) {
    if (size > MAX_SIZE) {
      throw Errors.blockTooBig();
    }
    L.allocate(size);
    return new LuauBuffer((int) size);
  }

  private static Object[] create(LuauThread L, Object[] a) {
    int size = intArg(a, 0, "create");
    if (size < 0) {
      throw Errors.badArgument(1, "create", "size");
    }
    return StringLib.one(newBuffer(L, size));
  }

  private static Object[] fromstring(LuauThread L, Object[] a) {
    byte[] s = Args.checkString(a, 0, "fromstring").bytes();
    LuauBuffer b = newBuffer(L, s.length);
    System.arraycopy(s, 0, b.data(), 0, s.length);
    return StringLib.one(b);
  }

  private static int width(int kind) {
    return switch (kind) {
      case 0, 1 -> 1;
      case 2, 3 -> 2;
      case 4, 5, 6 -> 4;
      default -> 8;
    };
  }

  private static Object[] read(Object[] a, int kind, String fname) {
    LuauBuffer b = buf(a, fname);
    int offset = intArg(a, 1, fname);
    byte[] d = b.data();
    if (outOfBounds(offset, d.length, width(kind))) {
      throw outOfBounds();
    }
    double v = switch (kind) {
      case 0 -> d[offset];
      case 1 -> d[offset] & 0xFF;
      case 2 -> (short) I16.get(d, offset);
      case 3 -> ((short) I16.get(d, offset)) & 0xFFFF;
      case 4 -> (int) I32.get(d, offset);
      case 5 -> ((int) I32.get(d, offset)) & 0xFFFFFFFFL;
      case 6 -> Float.intBitsToFloat((int) I32.get(d, offset));
      default -> Double.longBitsToDouble((long) I64.get(d, offset));
    };
    return StringLib.one(v);
  }

  private static Object[] write(Object[] a, int kind, String fname) {
    LuauBuffer b = buf(a, fname);
    int offset = intArg(a, 1, fname);
    byte[] d = b.data();
    if (kind >= 6) {
      double v = Args.checkNumber(a, 2, fname);
      if (outOfBounds(offset, d.length, width(kind))) {
        throw outOfBounds();
      }
      if (kind == 6) {
        I32.set(d, offset, Float.floatToRawIntBits((float) v));
      } else {
        I64.set(d, offset, Double.doubleToRawLongBits(v));
      }
      return LuauFunction.NONE;
    }
    int v = Bit32Lib.u(a, 2, fname);
    if (outOfBounds(offset, d.length, width(kind))) {
      throw outOfBounds();
    }
    switch (width(kind)) {
      case 1 -> d[offset] = (byte) v;
      case 2 -> I16.set(d, offset, (short) v);
      default -> I32.set(d, offset, v);
    }
    return LuauFunction.NONE;
  }

  private static Object[] readstring(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "readstring");
    int offset = intArg(a, 1, "readstring");
    int size = intArg(a, 2, "readstring");
    if (size < 0) {
      throw Errors.badArgument(3, "readstring", "size");
    }
    if (outOfBounds(offset, b.length(), size)) {
      throw outOfBounds();
    }
    return StringLib.one(LuauString.wrap(Arrays.copyOfRange(b.data(), offset, offset + size)));
  }

  private static Object[] writestring(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "writestring");
    int offset = intArg(a, 1, "writestring");
    byte[] s = Args.checkString(a, 2, "writestring").bytes();
    int count = Args.arg(a, 3) == null ? s.length : intArg(a, 3, "writestring");
    if (count < 0) {
      throw Errors.badArgument(4, "writestring", "count");
    }
    if (count > s.length) {
      throw LuauError.runtime("string length overflow");
    }
    if (outOfBounds(offset, b.length(), count)) {
      throw outOfBounds();
    }
    System.arraycopy(s, 0, b.data(), offset, count);
    return LuauFunction.NONE;
  }

  private static Object[] copy(LuauThread L, Object[] a) {
    LuauBuffer t = buf(a, "copy");
    int toffset = intArg(a, 1, "copy");
    Object src = Args.arg(a, 2);
    if (!(src instanceof LuauBuffer s)) {
      throw a.length <= 2 ? Errors.typeMismatchMissing(3, "copy", "buffer") : Errors.typeMismatch(3, "copy", "buffer", src);
    }
    int soffset = Args.arg(a, 3) == null ? 0 : intArg(a, 3, "copy");
    int size = Args.arg(a, 4) == null ? s.length() - soffset : intArg(a, 4, "copy");
    if (size < 0 || outOfBounds(soffset, s.length(), size) || outOfBounds(toffset, t.length(), size)) {
      throw outOfBounds();
    }
    // arraycopy behaves like memmove for overlapping ranges of one array
    System.arraycopy(s.data(), soffset, t.data(), toffset, size);
    return LuauFunction.NONE;
  }

  private static Object[] fill(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "fill");
    int offset = intArg(a, 1, "fill");
    int value = Bit32Lib.u(a, 2, "fill");
    int size = Args.arg(a, 3) == null ? b.length() - offset : intArg(a, 3, "fill");
    if (size < 0 || outOfBounds(offset, b.length(), size)) {
      throw outOfBounds();
    }
    Arrays.fill(b.data(), offset, offset + size, (byte) value);
    return LuauFunction.NONE;
  }

  /** Validates a bit range (checks in Luau's order); returns the bit offset. */
  private static long bitRange(LuauBuffer b, double offset, int count) {
    long bitOffset = StringPack.toLong(offset);
    if (bitOffset < 0) {
      throw outOfBounds();
    }
    if (count < 0 || count > 32) {
      throw LuauError.runtime("bit count is out of range of [0; 32]");
    }
    if (bitOffset + count > (long) b.length() * 8) {
      throw outOfBounds();
    }
    return bitOffset;
  }

  private static Object[] readbits(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "readbits");
    double offset = Args.checkNumber(a, 1, "readbits");
    int count = intArg(a, 2, "readbits");
    long bitOffset = bitRange(b, offset, count);
    byte[] d = b.data();
    long r = 0;
    for (int i = 0; i < count; i++) {
      long bit = bitOffset + i;
      if (((d[(int) (bit >>> 3)] >>> (bit & 7)) & 1) != 0) {
        r |= 1L << i;
      }
    }
    return StringLib.one((double) r);
  }

  private static Object[] writebits(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "writebits");
    double offset = Args.checkNumber(a, 1, "writebits");
    int count = intArg(a, 2, "writebits");
    long value = Bit32Lib.u(a, 3, "writebits") & 0xFFFFFFFFL;
    long bitOffset = bitRange(b, offset, count);
    byte[] d = b.data();
    for (int i = 0; i < count; i++) {
      long bit = bitOffset + i;
      int idx = (int) (bit >>> 3);
      int mask = 1 << (bit & 7);
      if (((value >>> i) & 1) != 0) {
        d[idx] |= (byte) mask;
      } else {
        d[idx] &= (byte) ~mask;
      }
    }
    return LuauFunction.NONE;
  }

  /** buffer.readinteger: a 64-bit signed integer value (Luau's integer type). */
  private static Object[] readinteger(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "readinteger");
    int offset = intArg(a, 1, "readinteger");
    if (outOfBounds(offset, b.length(), 8)) {
      throw outOfBounds();
    }
    return new Object[] {(long) I64.get(b.data(), offset)};
  }

  private static Object[] writeinteger(LuauThread L, Object[] a) {
    LuauBuffer b = buf(a, "writeinteger");
    int offset = intArg(a, 1, "writeinteger");
    long value = IntegerLib.i(a, 2, "writeinteger");
    if (outOfBounds(offset, b.length(), 8)) {
      throw outOfBounds();
    }
    I64.set(b.data(), offset, value);
    return LuauFunction.NONE;
  }
}
