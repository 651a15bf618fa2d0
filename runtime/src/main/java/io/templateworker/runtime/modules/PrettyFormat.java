package io.templateworker.runtime.modules;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Ops;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code luau.format}'s pretty printer, in the style of upstream's (mlua's debug form): strings quoted, numbers
 * as Luau prints them, tables as {@code {\n  key = value,\n}} with sorted keys (sequence first), a table seen
 * again on the way down as {@code <recursive>}, other values by {@code tostring}. No arguments give "nil".
 */
final class PrettyFormat {
  private static final int MAX_DEPTH = 32;

  private PrettyFormat() {
  }

  static String values(LuauThread L, Object[] a) {
    if (a.length == 0) {
      return "nil";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      value(L, sb, a[i], 0, new IdentityHashMap<>());
    }
    L.allocate(sb.length());
    return sb.toString();
  }

  private static void value(LuauThread L, StringBuilder sb, Object v, int depth, Map<LuauTable, Boolean> seen) {
    if (sb.length() > 1 << 20) {
      throw io.templateworker.luau.errors.LuauError.runtime("format: the text would exceed 1 MiB");
    }
    L.checkInterrupt();
    if (v instanceof LuauString s) {
      sb.append('"');
      String text = s.toString();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    } else if (v instanceof LuauTable t) {
      table(L, sb, t, depth, seen);
    } else if (v == null) {
      sb.append("nil");
    } else {
      sb.append(Ops.tostring(L, v));
    }
  }

  private static void table(LuauThread L, StringBuilder sb, LuauTable t, int depth, Map<LuauTable, Boolean> seen) {
    if (seen.containsKey(t) || depth >= MAX_DEPTH) {
      sb.append(seen.containsKey(t) ? "<recursive>" : "{...}");
      return;
    }
    List<Object> keys = new ArrayList<>();
    for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
      keys.add(t.keyAt(p));
    }
    if (keys.isEmpty()) {
      sb.append("{}");
      return;
    }
    seen.put(t, Boolean.TRUE);
    keys.sort(PrettyFormat::compareKeys);
    sb.append("{\n");
    for (Object k : keys) {
      indent(sb, depth + 1);
      if (k instanceof LuauString s && isIdentifier(s.toString())) {
        sb.append(s);
      } else {
        sb.append('[');
        value(L, sb, k, depth + 1, seen);
        sb.append(']');
      }
      sb.append(" = ");
      value(L, sb, t.rawget(k), depth + 1, seen);
      sb.append(",\n");
    }
    indent(sb, depth);
    sb.append('}');
    seen.remove(t);
  }

  private static int compareKeys(Object a, Object b) {
    boolean an = a instanceof Double;
    boolean bn = b instanceof Double;
    if (an && bn) {
      return Double.compare((Double) a, (Double) b);
    }
    if (an != bn) {
      return an ? -1 : 1;
    }
    return (Values.typeName(a) + a).compareTo(Values.typeName(b) + b);
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

  private static void indent(StringBuilder sb, int depth) {
    for (int i = 0; i < depth; i++) {
      sb.append("    ");
    }
  }
}
