package io.templateworker.runtime.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.values.DateTime;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.I64;
import io.templateworker.runtime.values.Interop;
import io.templateworker.runtime.values.Lazy;
import io.templateworker.runtime.values.Timezone;
import io.templateworker.runtime.values.U64;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON ↔ Luau values, as upstream's serde binding does it: {@code @antiraid/json} and event data that
 * arrives as JSON (UPSTREAM.md §7.4).
 *
 * <p>JSON → Luau: objects become tables, arrays tables with the array metatable, numbers numbers, null nil.
 *
 * <p>Luau → JSON: a table with the array metatable, or a non-empty table whose keys are exactly 1..#t, is an
 * array; any other table an object with its keys sorted (string keys, and whole-number keys written as strings;
 * other keys are an error); whole numbers are written without a fraction, non-finite numbers as null;
 * {@code interop.null} is null; buffers are arrays of bytes; I64/U64 are numbers, DateTime an RFC 3339 string
 * and Timezone its name; other userdata, functions and threads are an error; so is a table inside itself.
 */
public final class JsonLuau {
  private static final int MAX_DEPTH = 256;
  private static final JsonFactory JSON = JsonFactory.builder()
      .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()) // per-thread pools do not recycle on virtual threads
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private JsonLuau() {
  }

  /** Parses JSON text into a Luau value, charging what it builds to {@code L}'s VM (L may be null). */
  public static Object fromJson(LuauThread L, byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw LuauError.runtime("EOF while parsing a value at line 1 column 0");
      }
      Object v = read(L, p, first);
      if (p.nextToken() != null) {
        throw LuauError.runtime("trailing characters at line " + p.currentLocation().getLineNr() + " column "
            + p.currentLocation().getColumnNr());
      }
      return v;
    } catch (IOException e) {
      throw LuauError.runtime(cleanMessage(e));
    }
  }

  public static Object fromJson(LuauThread L, String json) {
    return fromJson(L, json.getBytes(StandardCharsets.UTF_8));
  }

  /** A Lazy source over JSON text: parsed into Luau on first {@code .data}; stored, a KhronosValue of it. */
  public static Lazy.Source lazySource(String json) {
    return new Lazy.Source() {
      @Override
      public Object toLuau() {
        return fromJson(null, json);
      }

      @Override
      public KhronosValue toKhronos() {
        return KhronosLuau.toKhronos(fromJson(null, json));
      }
    };
  }

  private static Object read(LuauThread L, JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        LuauTable table = new LuauTable();
        charge(L, 40);
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          LuauString key = LuauString.of(p.currentName());
          charge(L, 24 + key.length());
          Object v = read(L, p, p.nextToken());
          if (v != null) {
            table.rawset(key, v);
          }
        }
        return table;
      }
      case START_ARRAY -> {
        LuauTable table = Interop.newArray(0);
        charge(L, 40);
        int i = 0;
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          Object v = read(L, p, e);
          i++;
          charge(L, 16);
          if (v != null) {
            table.rawset(i, v);
          }
        }
        return table;
      }
      case VALUE_STRING -> {
        String s = p.getText();
        charge(L, 24 + s.length());
        return LuauString.of(s);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw LuauError.runtime("unexpected JSON token " + t);
    }
  }

  private static void charge(LuauThread L, long bytes) {
    if (L != null) {
      L.allocate(bytes);
    }
  }

  private static String cleanMessage(IOException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    String first = nl < 0 ? m : m.substring(0, nl);
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
      first = jpe.getOriginalMessage() + " at line " + jpe.getLocation().getLineNr() + " column "
          + jpe.getLocation().getColumnNr();
    }
    return first;
  }

  /** The JSON text of a Luau value; pretty = two-space indentation, as serde_json's pretty printer. */
  public static String toJson(LuauThread L, Object value, boolean pretty) {
    StringBuilder out = new StringBuilder(64);
    new Writer(L, out, pretty).write(value, 0);
    return out.toString();
  }

  private static final class Writer {
    private final LuauThread L;
    private final StringBuilder out;
    private final boolean pretty;
    private final Map<LuauTable, Boolean> open = new IdentityHashMap<>();
    /** How much of the text was charged to the VM so far. */
    private int charged;

    Writer(LuauThread L, StringBuilder out, boolean pretty) {
      this.L = L;
      this.out = out;
      this.pretty = pretty;
    }

    void write(Object v, int depth) {
      if (out.length() - charged > 4096) {
        charge(L, out.length() - charged); // the text counts against the VM's memory as it grows
        charged = out.length();
      }
      if (v == null || v == Interop.NULL) {
        out.append("null");
      } else if (v instanceof Boolean b) {
        out.append(b ? "true" : "false");
      } else if (v instanceof Double d) {
        number(d);
      } else if (v instanceof Long l) {
        out.append(l);
      } else if (v instanceof LuauString s) {
        string(s.toString());
      } else if (v instanceof LuauTable t) {
        table(t, depth);
      } else if (v instanceof LuauBuffer b) {
        out.append('[');
        byte[] d = b.data();
        for (int i = 0; i < d.length; i++) {
          out.append(i == 0 ? "" : ",").append(d[i] & 0xff);
        }
        out.append(']');
      } else if (I64.TYPE.is(v)) {
        out.append(((I64) ((LuauUserdata) v).payload()).value());
      } else if (U64.TYPE.is(v)) {
        out.append(Long.toUnsignedString(((U64) ((LuauUserdata) v).payload()).bits()));
      } else if (DateTime.TYPE.is(v)) {
        string(((LuauUserdata) v).payload().toString());
      } else if (Timezone.TYPE.is(v)) {
        string(((Timezone) ((LuauUserdata) v).payload()).zone().getId());
      } else if (Lazy.sourceOf(v) != null) {
        write(Lazy.sourceOf(v).toLuau(), depth);
      } else {
        throw LuauError.runtime("cannot serialize <" + HostArgs.typeName(v) + "> to JSON");
      }
    }

    private void number(double d) {
      if (!Double.isFinite(d)) {
        out.append("null");
        return;
      }
      Long whole = HostArgs.wholeOrNull(d);
      if (whole != null) {
        out.append(whole.longValue());
        return;
      }
      String s = Double.toString(d); // "1.5", "1.0E300", "1.5E-7" -> serde's "1e300", "1.5e-7"
      int e = s.indexOf('E');
      if (e >= 0) {
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
          mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        s = mantissa + "e" + s.substring(e + 1);
      }
      out.append(s);
    }

    private void string(String s) {
      out.append('"');
      JsonStringEncoder.getInstance().quoteAsString(s, out);
      out.append('"');
    }

    private void table(LuauTable t, int depth) {
      if (depth >= MAX_DEPTH) {
        throw LuauError.runtime("cannot serialize a table nested deeper than " + MAX_DEPTH + " levels");
      }
      if (open.put(t, Boolean.TRUE) != null) {
        throw LuauError.runtime("cannot serialize a recursive table (a table that contains itself)");
      }
      int n = t.length();
      List<Object> keys = new ArrayList<>();
      boolean onlySequence = true;
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        Object k = t.keyAt(p);
        keys.add(k);
        if (!(k instanceof Double d && d >= 1 && d <= n && d == Math.rint(d))) {
          onlySequence = false;
        }
      }
      if (Interop.isArray(t) || (n > 0 && onlySequence)) {
        array(t, n, depth);
      } else {
        object(t, keys, depth);
      }
      open.remove(t);
    }

    private void array(LuauTable t, int n, int depth) {
      if (n == 0) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 1; i <= n; i++) {
        if (i > 1) {
          out.append(',');
        }
        newline(depth + 1);
        write(t.rawget(i), depth + 1);
      }
      newline(depth);
      out.append(']');
    }

    private void object(LuauTable t, List<Object> keys, int depth) {
      if (keys.isEmpty()) {
        out.append("{}");
        return;
      }
      List<String[]> named = new ArrayList<>(keys.size());
      for (Object k : keys) {
        named.add(new String[] {keyText(k), null});
      }
      List<Object[]> entries = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        entries.add(new Object[] {named.get(i)[0], t.rawget(keys.get(i))});
      }
      entries.sort(Comparator.comparing(e -> (String) e[0]));
      out.append('{');
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        newline(depth + 1);
        string((String) entries.get(i)[0]);
        out.append(pretty ? ": " : ":");
        write(entries.get(i)[1], depth + 1);
      }
      newline(depth);
      out.append('}');
    }

    private static String keyText(Object k) {
      if (k instanceof LuauString s) {
        return s.toString();
      }
      if (k instanceof Double d && HostArgs.wholeOrNull(d) != null) {
        return Long.toString(HostArgs.wholeOrNull(d));
      }
      if (k instanceof Long l) {
        return Long.toString(l);
      }
      throw LuauError.runtime("cannot serialize a table with a " + Values.typeName(k)
          + " key to JSON (keys must be strings or whole numbers)");
    }

    private void newline(int depth) {
      if (pretty) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
          out.append("  ");
        }
      }
    }
  }
}
