package io.templateworker.runtime.plugin.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import java.util.Map;

/**
 * Tenant-state data (a JSON object) ↔ Luau: objects and arrays are tables, null is nil. Luau → JSON: a table
 * with a sequence is an array, any other table an object with string (or number) keys; depth is capped like
 * KhronosValue conversion.
 */
final class StateData {
  private static final int MAX_DEPTH = 10;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StateData() {
  }

  static Object toLuau(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isTextual()) {
      return LuauString.of(n.textValue());
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isArray()) {
      LuauTable t = new LuauTable(n.size(), 0);
      for (int i = 0; i < n.size(); i++) {
        t.rawset(i + 1, toLuau(n.get(i)));
      }
      return t;
    }
    LuauTable t = new LuauTable(0, n.size());
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      Object v = toLuau(e.getValue());
      if (v != null) {
        t.rawset(LuauString.of(e.getKey()), v);
      }
    }
    return t;
  }

  /** A table as a JSON object; {@code what} names the argument in errors ("state.data"). */
  static ObjectNode object(LuauTable t, String what) {
    JsonNode n = toJson(t, what, 1);
    if (!(n instanceof ObjectNode o)) {
      throw LuauError.runtime(what + " must be a table with string keys (a JSON object), got a list");
    }
    return o;
  }

  private static JsonNode toJson(Object v, String what, int depth) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof LuauString s) {
      return NODES.textNode(s.toString());
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw LuauError.runtime(what + " holds " + d + ", which JSON cannot represent");
      }
      return d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15 ? NODES.numberNode((long) (double) d) : NODES.numberNode(d);
    }
    if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (v instanceof LuauTable t) {
      if (depth > MAX_DEPTH) {
        throw LuauError.runtime(what + " is nested deeper than " + MAX_DEPTH + " levels");
      }
      if (t.getMetatable() != null) {
        throw LuauError.runtime(what + " must be a plain table without a metatable");
      }
      int n = t.length();
      if (n > 0) {
        ArrayNode a = NODES.arrayNode(n);
        for (int i = 1; i <= n; i++) {
          a.add(toJson(t.rawget(i), what, depth + 1));
        }
        return a;
      }
      ObjectNode o = NODES.objectNode();
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        Object k = t.keyAt(p);
        String key;
        if (k instanceof LuauString ks) {
          key = ks.toString();
        } else if (k instanceof Double d && d == Math.rint(d)) {
          key = Long.toString((long) (double) d);
        } else {
          throw LuauError.runtime(what + " has a key of type " + Errors.gotName(k) + "; only string and number keys fit JSON");
        }
        o.set(key, toJson(t.valueAt(p), what + "." + key, depth + 1));
      }
      return o;
    }
    throw LuauError.runtime(what + " holds a " + Errors.gotName(v) + ", which JSON cannot represent");
  }
}
