package io.templateworker.mesophyll.protocol;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes the MessagePack of one message into a growing array, in the forms msgpack-core chooses (the smallest
 * header for each integer and length), so the bytes equal the data binding's. Field names are written from
 * constants ({@link MsgPackReader#key}); the values whose shape is open are written by a Jackson generator over
 * this stream. Replaces a generator per message, which buffers every field as a node and costs about half a
 * kilobyte before the first byte. A value may write itself here ({@link MessagePackWritable}).
 */
public final class MsgPackWriter extends OutputStream {
  private byte[] buf;
  private int size;

  MsgPackWriter(int capacity) {
    buf = new byte[capacity];
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** The bytes written, without a copy (the writer must not be written to afterwards). */
  ByteBuffer toBuffer() {
    return ByteBuffer.wrap(buf, 0, size);
  }

  /** How many bytes are written so far: a mark to {@link #truncate} back to. */
  public int size() {
    return size;
  }

  /** Drops what was written after {@code mark} (a value that found it cannot write itself here). */
  public void truncate(int mark) {
    if (mark < 0 || mark > size) {
      throw new IllegalArgumentException("mark " + mark + " is outside 0.." + size);
    }
    size = mark;
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, size, length);
    size += length;
  }

  public void writeMapHeader(int entries) {
    writeHeader(entries, 0x80, 0xde, 0xdf);
  }

  public void writeArrayHeader(int items) {
    writeHeader(items, 0x90, 0xdc, 0xdd);
  }

  private void writeHeader(int count, int fix, int sixteen, int thirtyTwo) {
    if (count < 16) {
      write(fix | count);
    } else if (count < (1 << 16)) {
      write(sixteen);
      writeBigEndian(count, 2);
    } else {
      write(thirtyTwo);
      writeBigEndian(count, 4);
    }
  }

  public void writeNil() {
    write(0xc0);
  }

  public void writeBoolean(boolean value) {
    write(value ? 0xc3 : 0xc2);
  }

  public void writeLong(long v) {
    if (v >= -32 && v < 128) {
      write((int) v); // positive or negative fixint
    } else if (v >= 0) {
      if (v < (1 << 8)) {
        write(0xcc);
        writeBigEndian(v, 1);
      } else if (v < (1 << 16)) {
        write(0xcd);
        writeBigEndian(v, 2);
      } else if (v < (1L << 32)) {
        write(0xce);
        writeBigEndian(v, 4);
      } else {
        write(0xcf);
        writeBigEndian(v, 8);
      }
    } else if (v >= -(1 << 7)) {
      write(0xd0);
      writeBigEndian(v, 1);
    } else if (v >= -(1 << 15)) {
      write(0xd1);
      writeBigEndian(v, 2);
    } else if (v >= -(1L << 31)) {
      write(0xd2);
      writeBigEndian(v, 4);
    } else {
      write(0xd3);
      writeBigEndian(v, 8);
    }
  }

  /** A float64, as msgpack-core packs every double. */
  public void writeDouble(double value) {
    write(0xcb);
    writeBigEndian(Double.doubleToRawLongBits(value), 8);
  }

  /** A string, or nil for null. ASCII (names, ids) is copied char by char; anything else goes through UTF-8. */
  public void writeStringOrNil(String s) {
    if (s == null) {
      writeNil();
      return;
    }
    int length = s.length();
    if (isAscii(s)) {
      writeStringHeader(length);
      ensure(length);
      for (int i = 0; i < length; i++) {
        buf[size++] = (byte) s.charAt(i);
      }
    } else {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeStringHeader(utf8.length);
      write(utf8, 0, utf8.length);
    }
  }

  /** {@code value} as unsigned decimal digits in a string: the bytes of {@code Long.toUnsignedString}, without it. */
  public void writeUnsignedDecimal(long value) {
    int digits = 1;
    for (long rest = Long.divideUnsigned(value, 10); rest != 0; rest = Long.divideUnsigned(rest, 10)) {
      digits++;
    }
    writeStringHeader(digits); // at most 20: a fixstr
    ensure(digits);
    for (int i = size + digits - 1; i >= size; i--) {
      buf[i] = (byte) ('0' + Long.remainderUnsigned(value, 10));
      value = Long.divideUnsigned(value, 10);
    }
    size += digits;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private void writeStringHeader(int length) {
    if (length < 32) {
      write(0xa0 | length);
    } else if (length < (1 << 8)) {
      write(0xd9);
      writeBigEndian(length, 1);
    } else if (length < (1 << 16)) {
      write(0xda);
      writeBigEndian(length, 2);
    } else {
      write(0xdb);
      writeBigEndian(length, 4);
    }
  }

  private void writeBigEndian(long value, int count) {
    ensure(count);
    for (int shift = (count - 1) * 8; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (value >>> shift);
    }
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
