package io.templateworker.worker.luau;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The text {@code _debug(...)} prints (upstream's pretty-printer under {@code --worker-debug}): tables are shown
 * with their keys and nested values, indented, to a fixed depth; a table met again inside itself shows as
 * {@code <cycle>}. Bounded, so a huge table cannot flood the tenant's log.
 */
final class DebugFormat {
  static final int MAX_DEPTH = 6;
  static final int MAX_CHARS = 4000;

  private final StringBuilder out = new StringBuilder();
  private final Set<LuauTable> open = Collections.newSetFromMap(new IdentityHashMap<>());

  private DebugFormat() {}

  static String format(Object value) {
    DebugFormat f = new DebugFormat();
    f.value(value, 0);
    return f.out.length() > MAX_CHARS ? f.out.substring(0, MAX_CHARS) + " …(truncated)" : f.out.toString();
  }

  private void value(Object v, int depth) {
    if (out.length() > MAX_CHARS) {
      return;
    }
    if (v instanceof LuauString s) {
      out.append('"').append(s).append('"');
    } else if (v instanceof Double d) {
      out.append(Values.numberToString(d));
    } else if (v instanceof LuauTable t) {
      table(t, depth);
    } else if (v == null || v instanceof Boolean || v instanceof Long) {
      out.append(v == null ? "nil" : v.toString());
    } else {
      out.append(Values.typeName(v)).append(": 0x").append(Integer.toHexString(System.identityHashCode(v)));
    }
  }

  private void table(LuauTable t, int depth) {
    if (open.contains(t)) {
      out.append("<cycle>");
      return;
    }
    if (depth >= MAX_DEPTH) {
      out.append("{…}");
      return;
    }
    Object[] entry = t.next(null);
    if (entry == null) {
      out.append("{}");
      return;
    }
    open.add(t);
    out.append("{\n");
    for (; entry != null && out.length() <= MAX_CHARS; entry = t.next(entry[0])) {
      out.append("  ".repeat(depth + 1));
      if (entry[0] instanceof LuauString k && isIdentifier(k.toString())) {
        out.append(k);
      } else {
        out.append('[');
        value(entry[0], depth + 1);
        out.append(']');
      }
      out.append(" = ");
      value(entry[1], depth + 1);
      out.append(",\n");
    }
    out.append("  ".repeat(depth)).append('}');
    open.remove(t);
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_') || c > 127) {
        return false;
      }
    }
    return true;
  }
}
