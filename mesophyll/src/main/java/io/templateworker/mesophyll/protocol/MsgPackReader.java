package io.templateworker.mesophyll.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the MessagePack of one message in place, from its range of the frame: the per-event messages' fields are
 * read here without a parser object, a copy of the range, or a String per field name (names are compared as bytes
 * with {@link #nextKeyIs}). Only the values whose shape is open (an event's data, a reply's value) go to a Jackson
 * parser, over their own range ({@link #skipValue} finds where they end), unless a {@link ValueReader} reads them
 * here. Every read checks the type byte and the bounds: a value of the wrong type or a truncated range throws, as the
 * data binding does.
 */
public final class MsgPackReader {
  private final byte[] bytes;
  private int end;
  private int pos;

  public MsgPackReader(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.pos = offset;
    this.end = offset + length;
  }

  public int position() {
    return pos;
  }

  /**
   * Reads {@code [from, to)} of the same bytes from now on (one reader walks a frame's messages and their values,
   * rather than a reader per range); returns the end it had, for {@link #range} to go back to.
   */
  int range(int from, int to) {
    int previousEnd = end;
    pos = from;
    end = to;
    return previousEnd;
  }

  /** The field name {@code key} as it starts on the wire: a fixstr header, then its ASCII bytes. */
  public static byte[] key(String key) {
    byte[] name = key.getBytes(StandardCharsets.US_ASCII);
    if (name.length > 31) {
      throw new IllegalArgumentException("field names are short: " + key);
    }
    byte[] encoded = new byte[name.length + 1];
    encoded[0] = (byte) (0xa0 | name.length);
    System.arraycopy(name, 0, encoded, 1, name.length);
    return encoded;
  }

  /** Whether the next value is the string {@code encodedKey} (from {@link #key}); if so it is consumed. */
  public boolean nextKeyIs(byte[] encodedKey) {
    int to = pos + encodedKey.length;
    if (to <= end && Arrays.equals(bytes, pos, to, encodedKey, 0, encodedKey.length)) {
      pos = to;
      return true;
    }
    return false;
  }

  /** Whether the next value is nil; if so it is consumed. */
  public boolean nextIsNil() throws IOException {
    if (peek() == (byte) 0xc0) {
      pos++;
      return true;
    }
    return false;
  }

  public int readMapHeader(String what) throws IOException {
    int b = peek() & 0xff;
    if ((b & 0xf0) == 0x80) {
      pos++;
      return b & 0x0f;
    }
    return switch (b) {
      case 0xde -> { pos++; yield (int) readUnsigned(2); }
      case 0xdf -> { pos++; yield length(readUnsigned(4)); }
      default -> throw wrongType("a map", what);
    };
  }

  public int readArrayHeader(String what) throws IOException {
    int b = peek() & 0xff;
    if ((b & 0xf0) == 0x90) {
      pos++;
      return b & 0x0f;
    }
    return switch (b) {
      case 0xdc -> { pos++; yield (int) readUnsigned(2); }
      case 0xdd -> { pos++; yield length(readUnsigned(4)); }
      default -> throw wrongType("an array", what);
    };
  }

  public boolean readBoolean(String what) throws IOException {
    int b = peek() & 0xff;
    if (b == 0xc2 || b == 0xc3) {
      pos++;
      return b == 0xc3;
    }
    throw wrongType("true or false", what);
  }

  /** An integer that fits a long (a uint64 above Long.MAX_VALUE does not). */
  public long readLong(String what) throws IOException {
    int b = peek() & 0xff;
    if (b <= 0x7f || b >= 0xe0) { // positive or negative fixint
      pos++;
      return (byte) b;
    }
    long value = switch (b) {
      case 0xcc -> { pos++; yield readUnsigned(1); }
      case 0xcd -> { pos++; yield readUnsigned(2); }
      case 0xce -> { pos++; yield readUnsigned(4); }
      case 0xcf -> {
        pos++;
        long v = readUnsigned(8);
        if (v < 0) {
          throw new IOException("\"" + what + "\" is out of range: " + Long.toUnsignedString(v));
        }
        yield v;
      }
      case 0xd0 -> { pos++; yield (byte) readUnsigned(1); }
      case 0xd1 -> { pos++; yield (short) readUnsigned(2); }
      case 0xd2 -> { pos++; yield (int) readUnsigned(4); }
      case 0xd3 -> { pos++; yield readUnsigned(8); }
      default -> throw wrongType("an integer", what);
    };
    return value;
  }

  /** A string, or null for nil. Invalid UTF-8 is replaced, as msgpack-core's reader does. */
  public String readStringOrNil(String what) throws IOException {
    return readStringOrNil(what, true);
  }

  /**
   * As {@link #readStringOrNil(String)}, without the cache of recent short strings: for strings that seldom repeat
   * (tenant ids: 10 000 tenants take turns through its slots, each read a miss that also evicts a string that repeats).
   */
  public String readUncachedStringOrNil(String what) throws IOException {
    return readStringOrNil(what, false);
  }

  private String readStringOrNil(String what, boolean cache) throws IOException {
    int b = peek() & 0xff;
    int length;
    if ((b & 0xe0) == 0xa0) {
      pos++;
      length = b & 0x1f;
    } else {
      length = switch (b) {
        case 0xc0 -> { pos++; yield -1; }
        case 0xd9 -> { pos++; yield (int) readUnsigned(1); }
        case 0xda -> { pos++; yield (int) readUnsigned(2); }
        case 0xdb -> { pos++; yield length(readUnsigned(4)); }
        default -> throw wrongType("a string", what);
      };
      if (length < 0) {
        return null;
      }
    }
    need(length);
    String text = cache && length <= CACHED_MAX_BYTES ? cachedString(length) : new String(bytes, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return text;
  }

  /**
   * Short strings recently read, by a hash of their bytes. The strings of a reply or an event repeat from message to
   * message (map keys, template names, event names): a String and its array each cost a fifth of what the master
   * allocated per event. Shared by every thread without a lock: an entry is immutable but for its {@code used} hint, so
   * a racing reader sees a whole entry or the one before it, and a lost update costs only a miss.
   */
  private static final int CACHED_MAX_BYTES = 32;
  private static final CachedString[] CACHE = new CachedString[1024];

  private static final class CachedString {
    final byte[] utf8;
    final String text;
    /** Set by a hit and cleared by a miss that spared it: a string seen once does not evict one in use. */
    boolean used;

    CachedString(byte[] utf8, String text) {
      this.utf8 = utf8;
      this.text = text;
    }
  }

  private String cachedString(int length) {
    int hash = 1;
    for (int i = pos; i < pos + length; i++) {
      hash = 31 * hash + bytes[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (CACHE.length - 1);
    CachedString cached = CACHE[slot];
    if (cached != null && Arrays.equals(cached.utf8, 0, cached.utf8.length, bytes, pos, pos + length)) {
      if (!cached.used) {
        cached.used = true;
      }
      return cached.text;
    }
    String text = new String(bytes, pos, length, StandardCharsets.UTF_8);
    if (cached != null && cached.used) {
      cached.used = false; // its second chance: replaced only if the next string in this slot misses too
    } else {
      CACHE[slot] = new CachedString(Arrays.copyOfRange(bytes, pos, pos + length), text);
    }
    return text;
  }

  /** A float64 (the form msgpack-core writes every double in). */
  public double readFloat64(String what) throws IOException {
    if ((peek() & 0xff) != 0xcb) {
      throw wrongType("a float64", what);
    }
    pos++;
    return Double.longBitsToDouble(readUnsigned(8));
  }

  /** Bytes left in the range. */
  int remaining() {
    return end - pos;
  }

  /** Whether every byte of the range has been read. */
  public boolean atEnd() {
    return pos == end;
  }

  /** Steps over one whole value of any type (nested maps and arrays included). */
  public void skipValue() throws IOException {
    long pending = 1;
    while (pending-- > 0) {
      int b = peek() & 0xff;
      pos++;
      if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
        continue; // fixint, nil, bool: the type byte is the value
      }
      if ((b & 0xf0) == 0x80) {
        pending += 2L * (b & 0x0f);
      } else if ((b & 0xf0) == 0x90) {
        pending += b & 0x0f;
      } else if ((b & 0xe0) == 0xa0) {
        skip(b & 0x1f);
      } else {
        switch (b) {
          case 0xcc, 0xd0 -> skip(1);
          case 0xcd, 0xd1, 0xd4 -> skip(2);
          case 0xce, 0xd2, 0xca -> skip(4);
          case 0xcf, 0xd3, 0xcb -> skip(8);
          case 0xd5 -> skip(3);
          case 0xd6 -> skip(5);
          case 0xd7 -> skip(9);
          case 0xd8 -> skip(17);
          case 0xc4, 0xd9 -> skip(readUnsigned(1));
          case 0xc5, 0xda -> skip(readUnsigned(2));
          case 0xc6, 0xdb -> skip(length(readUnsigned(4)));
          case 0xc7 -> skip(readUnsigned(1) + 1);
          case 0xc8 -> skip(readUnsigned(2) + 1);
          case 0xc9 -> skip(length(readUnsigned(4)) + 1L);
          case 0xdc -> pending += readUnsigned(2);
          case 0xdd -> pending += length(readUnsigned(4));
          case 0xde -> pending += 2L * readUnsigned(2);
          case 0xdf -> pending += 2L * length(readUnsigned(4));
          default -> throw new IOException("invalid MessagePack byte 0x" + Integer.toHexString(b));
        }
      }
    }
  }

  private byte peek() throws IOException {
    need(1);
    return bytes[pos];
  }

  private void skip(long count) throws IOException {
    need(count);
    pos += (int) count;
  }

  /** Big-endian unsigned integer of {@code count} bytes (8 bytes come back as the long's bits). */
  private long readUnsigned(int count) throws IOException {
    need(count);
    long value = 0;
    for (int i = 0; i < count; i++) {
      value = (value << 8) | (bytes[pos++] & 0xff);
    }
    return value;
  }

  private int length(long length) throws IOException {
    if (length > end - pos) {
      throw truncated();
    }
    return (int) length;
  }

  private void need(long count) throws IOException {
    if (count > end - pos) {
      throw truncated();
    }
  }

  private IOException truncated() {
    return new IOException("the message ends in the middle of a value");
  }

  private IOException wrongType(String wanted, String what) {
    return new IOException("expected " + wanted + " for " + what + ", got MessagePack byte 0x"
        + Integer.toHexString(bytes[pos] & 0xff));
  }
}
