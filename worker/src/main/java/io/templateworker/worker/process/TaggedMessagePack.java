package io.templateworker.worker.process;

import io.templateworker.mesophyll.protocol.MsgPackReader;
import io.templateworker.mesophyll.protocol.MsgPackWriter;
import io.templateworker.runtime.khronos.KhronosValue;
import java.io.IOException;
import java.util.List;

/**
 * Writes and reads a template value in its tagged wire form ({@code "Null"}, {@code {"Integer": 1}}, {@code {"List": […]}}, …)
 * straight into a Mesophyll message, for the kinds handlers return and events carry most (nil, text, integers,
 * booleans, finite floats, lists and maps of them): the same bytes as {@code KhronosJson.write} through Jackson's
 * generator (a test compares them), without the generator or parser, each of which costs about half a kilobyte per
 * value (the generator also buffers every item as a node). Any other kind, a value nested too deep, or anything
 * malformed is left to Jackson and KhronosJson, which also give the errors.
 */
final class TaggedMessagePack {
  private static final byte[] NULL = MsgPackReader.key("Null");
  private static final byte[] TEXT = MsgPackReader.key("Text");
  private static final byte[] INTEGER = MsgPackReader.key("Integer");
  private static final byte[] BOOLEAN = MsgPackReader.key("Boolean");
  private static final byte[] FLOAT = MsgPackReader.key("Float");
  private static final byte[] LIST = MsgPackReader.key("List");
  private static final byte[] MAP = MsgPackReader.key("Map");
  /** Each tagged object's start, its one-entry map header and its tag, written as one copy of constant bytes. */
  private static final byte[] TEXT_START = start(TEXT);
  private static final byte[] INTEGER_START = start(INTEGER);
  private static final byte[] BOOLEAN_START = start(BOOLEAN);
  private static final byte[] FLOAT_START = start(FLOAT);
  private static final byte[] LIST_START = start(LIST);
  private static final byte[] MAP_START = start(MAP);

  private TaggedMessagePack() {}

  /** The value {@code in} holds (exactly one), or null for a kind or a form left to KhronosJson. */
  static KhronosValue read(MsgPackReader in) {
    try {
      KhronosValue value = read(in, 0);
      return value != null && in.atEnd() ? value : null;
    } catch (IOException e) {
      return null; // KhronosJson reads it again and says what is wrong
    }
  }

  private static KhronosValue read(MsgPackReader in, int depth) throws IOException {
    if (in.nextKeyIs(NULL)) {
      return KhronosValue.Null.INSTANCE;
    }
    if (in.readMapHeader("a tagged value") != 1) {
      return null;
    }
    if (in.nextKeyIs(TEXT)) {
      String text = in.readStringOrNil("Text");
      return text == null ? null : text(text);
    } else if (in.nextKeyIs(INTEGER)) {
      return new KhronosValue.Int(in.readLong("Integer"));
    } else if (in.nextKeyIs(BOOLEAN)) {
      return KhronosValue.Bool.of(in.readBoolean("Boolean"));
    } else if (in.nextKeyIs(FLOAT)) {
      return new KhronosValue.Float(in.readFloat64("Float"));
    } else if (in.nextKeyIs(LIST)) {
      if (depth + 1 > KhronosValue.MAX_DEPTH) {
        return null;
      }
      int count = in.readArrayHeader("List");
      if (count == 1) { // e.g. a reply's one result: List.of(item) holds it without an array
        KhronosValue item = read(in, depth + 1);
        return item == null ? null : new KhronosValue.ListValue(List.of(item));
      }
      KhronosValue[] items = new KhronosValue[count];
      for (int i = 0; i < count; i++) {
        KhronosValue item = read(in, depth + 1);
        if (item == null) {
          return null;
        }
        items[i] = item;
      }
      // An immutable list, which the value keeps as it is (an ArrayList it copied twice: its array, then that copy).
      return new KhronosValue.ListValue(List.of(items));
    } else if (in.nextKeyIs(MAP)) {
      if (depth + 1 > KhronosValue.MAX_DEPTH) {
        return null;
      }
      int count = in.readArrayHeader("Map");
      if (count == 3) {
        // A result entry {type, id, value}: List.of(a, b, c) keeps its three entries in the list's one array, where
        // List.of(array) copies the array it is given.
        KhronosValue.Entry a = readEntry(in, depth);
        KhronosValue.Entry b = a == null ? null : readEntry(in, depth);
        KhronosValue.Entry c = b == null ? null : readEntry(in, depth);
        return c == null ? null : new KhronosValue.MapValue(List.of(a, b, c));
      }
      KhronosValue.Entry[] entries = new KhronosValue.Entry[count];
      for (int i = 0; i < count; i++) {
        KhronosValue.Entry entry = readEntry(in, depth);
        if (entry == null) {
          return null;
        }
        entries[i] = entry;
      }
      return new KhronosValue.MapValue(List.of(entries)); // as a List's items
    }
    return null;
  }

  /**
   * Recent texts by their string's hash. The reader returns the same String for a short string it read recently (its
   * cache), so the same instance finds the same Text: a reply's {@code type}, {@code id} and {@code value} keys and
   * its template name were a Text each per event. Texts are immutable values, so any thread may share one; a race
   * costs a miss.
   */
  private static final KhronosValue.Text[] TEXTS = new KhronosValue.Text[256];

  private static KhronosValue.Text text(String s) {
    if (s.length() > 32) { // longer than the reader caches: a new String each time, and hashing it costs its length
      return new KhronosValue.Text(s);
    }
    int slot = s.hashCode() & (TEXTS.length - 1);
    KhronosValue.Text t = TEXTS[slot];
    if (t == null || t.value() != s) {
      t = new KhronosValue.Text(s);
      TEXTS[slot] = t;
    }
    return t;
  }

  /** A Map's entry, a key and a value, or null for a form left to KhronosJson. */
  private static KhronosValue.Entry readEntry(MsgPackReader in, int depth) throws IOException {
    if (in.readArrayHeader("a Map entry") != 2) {
      return null;
    }
    KhronosValue key = read(in, depth + 1);
    KhronosValue value = key == null ? null : read(in, depth + 1);
    return value == null ? null : new KhronosValue.Entry(key, value);
  }

  /** Writes {@code value} and returns true, or returns false (having written part of it) for a kind it leaves out. */
  static boolean write(MsgPackWriter out, KhronosValue value) {
    return write(out, value, 0);
  }

  private static boolean write(MsgPackWriter out, KhronosValue value, int depth) {
    if (value == KhronosValue.Null.INSTANCE) {
      out.write(NULL);
      return true;
    }
    switch (value) {
      case KhronosValue.Text t -> {
        out.write(TEXT_START);
        out.writeStringOrNil(t.value());
      }
      case KhronosValue.Int i -> {
        out.write(INTEGER_START);
        out.writeLong(i.value());
      }
      case KhronosValue.Bool b -> {
        out.write(BOOLEAN_START);
        out.writeBoolean(b.value());
      }
      case KhronosValue.Float f -> {
        if (!Double.isFinite(f.value())) {
          return false; // written as a string: KhronosJson's rule
        }
        out.write(FLOAT_START);
        out.writeDouble(f.value());
      }
      case KhronosValue.ListValue l -> {
        if (depth + 1 > KhronosValue.MAX_DEPTH) {
          return false; // KhronosJson reports it
        }
        out.write(LIST_START);
        List<KhronosValue> items = l.items();
        out.writeArrayHeader(items.size());
        for (int i = 0; i < items.size(); i++) {
          if (!write(out, items.get(i), depth + 1)) {
            return false;
          }
        }
      }
      case KhronosValue.MapValue m -> {
        if (depth + 1 > KhronosValue.MAX_DEPTH) {
          return false;
        }
        out.write(MAP_START);
        List<KhronosValue.Entry> entries = m.entries();
        out.writeArrayHeader(entries.size());
        for (int i = 0; i < entries.size(); i++) {
          out.writeArrayHeader(2);
          if (!write(out, entries.get(i).key(), depth + 1) || !write(out, entries.get(i).value(), depth + 1)) {
            return false;
          }
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The bytes a tagged object starts with: a map of one entry, then its tag ({@code encodedTag}, from {@link MsgPackReader#key}). */
  private static byte[] start(byte[] encodedTag) {
    byte[] start = new byte[encodedTag.length + 1];
    start[0] = (byte) 0x81;
    System.arraycopy(encodedTag, 0, start, 1, encodedTag.length);
    return start;
  }
}
