package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.values.HostArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * One operation's argument table, read as upstream deserialises it into the operation's request type. Bad arguments
 * are reported in the template API's one format ({@link HostArgs#bad}), naming the field by its path:
 * {@code invalid argument #1 (channel_id) to 'Discord:create_message' (missing field `channel_id`)} keeps upstream's
 * "missing field" text; a wrong type reads {@code (snowflake expected, got string "abc")}. Snowflakes are strings of
 * digits (numbers are accepted when whole and exact). The table arrives as JSON ({@code JsonLuau}).
 */
final class Req {
  private final JsonNode node;
  private final String where;
  private final String fname;

  private Req(JsonNode node, String where, String fname) {
    this.node = node;
    this.where = where;
    this.fname = fname;
  }

  /** The name argument errors give the function: {@code Discord:create_message}. */
  static String fname(String op) {
    return DiscordPlugin.NAME + ":" + op;
  }

  /**
   * The argument table of operation {@code op}; nil reads as an empty table (operations without fields take {@code {}}
   * or nothing), and a plain list is kept as it is (antiraid_get_fused_member takes one).
   */
  static Req of(JsonNode node, String op) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return new Req(JsonNodeFactory.instance.objectNode(), "", fname(op));
    }
    return new Req(node, "", fname(op));
  }

  /** The error for a bad field (or, with an empty name, the whole table). */
  LuauError bad(String field, String detail) {
    String param = field.isEmpty() ? (where.isEmpty() ? "options" : where) : name(field);
    return HostArgs.bad(0, fname, param, detail);
  }

  JsonNode raw() {
    return node;
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  private String name(String field) {
    return where.isEmpty() ? field : where + "." + field;
  }

  private JsonNode required(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw missing(field);
    }
    return v;
  }

  /** Upstream's text for an absent required field, in the one format. */
  LuauError missing(String field) {
    return bad(field, "missing field `" + name(field) + "`");
  }

  /** A field of the wrong type: {@code (snowflake expected, got string "abc")}. */
  LuauError invalid(String field, JsonNode v, String expected) {
    return bad(field, expected + " expected, got " + kind(v));
  }

  /** A required nested table (e.g. {@code data}). */
  Req object(String field) {
    JsonNode v = required(field);
    if (v.isArray() && v.isEmpty()) {
      return new Req(JsonNodeFactory.instance.objectNode(), name(field), fname); // {} and [] are the same empty Luau table
    }
    if (!v.isObject()) {
      throw invalid(field, v, "table");
    }
    return new Req(v, name(field), fname);
  }

  Req optObject(String field) {
    return has(field) ? object(field) : null;
  }

  /** A required list ({@code {}} counts as an empty list). */
  ArrayNode array(String field) {
    return asArray(field, required(field));
  }

  ArrayNode optArray(String field) {
    return has(field) ? asArray(field, node.get(field)) : null;
  }

  private ArrayNode asArray(String field, JsonNode v) {
    if (v.isObject() && v.isEmpty()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!v.isArray()) {
      throw invalid(field, v, "list");
    }
    return (ArrayNode) v;
  }

  long snowflake(String field) {
    return snowflakeOf(field, required(field));
  }

  Long optSnowflake(String field) {
    return has(field) ? snowflakeOf(field, node.get(field)) : null;
  }

  List<Long> snowflakes(String field) {
    ArrayNode a = array(field);
    List<Long> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(snowflakeOf(field + "[" + (i + 1) + "]", a.get(i)));
    }
    return out;
  }

  long snowflakeOf(String field, JsonNode v) {
    Long id = parseSnowflake(v);
    if (id == null) {
      throw invalid(field, v, "snowflake (a string of digits)");
    }
    return id;
  }

  /** A Discord id from a string of digits or an exact whole number; null when it is neither. */
  static Long parseSnowflake(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      String s = v.asText();
      if (s.isEmpty() || s.length() > 20) {
        return null;
      }
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return null;
        }
      }
      try {
        long id = Long.parseUnsignedLong(s);
        return id == 0 ? null : id;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() > 0) {
      return v.asLong();
    }
    if (v.isNumber() && v.asDouble() > 0 && v.asDouble() == Math.rint(v.asDouble()) && v.asDouble() <= 9.007199254740991E15) {
      return (long) v.asDouble();
    }
    return null;
  }

  String string(String field) {
    JsonNode v = required(field);
    if (!v.isTextual()) {
      throw invalid(field, v, "string");
    }
    return v.asText();
  }

  String optString(String field) {
    return has(field) ? string(field) : null;
  }

  Boolean optBoolean(String field) {
    if (!has(field)) {
      return null;
    }
    JsonNode v = node.get(field);
    if (!v.isBoolean()) {
      throw invalid(field, v, "boolean");
    }
    return v.asBoolean();
  }

  /** An optional whole number within {@code min..max}. */
  Long optInteger(String field, long min, long max) {
    if (!has(field)) {
      return null;
    }
    JsonNode v = node.get(field);
    if (!v.isNumber()) {
      throw invalid(field, v, "number");
    }
    if (v.asDouble() != Math.rint(v.asDouble())) {
      throw bad(field, "number has no integer representation");
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw bad(field, "number " + n + " is out of range " + min + ".." + max);
    }
    return n;
  }

  /**
   * A permission set: Discord's form (a string of the bit field, e.g. {@code "2048"}), a number, or names joined by
   * {@code |} ({@code "SEND_MESSAGES | BAN_MEMBERS"}) or listed in a table.
   */
  long permissions(String field) {
    return permissionsOf(field, required(field));
  }

  Long optPermissions(String field) {
    return has(field) ? permissionsOf(field, node.get(field)) : null;
  }

  long permissionsOf(String field, JsonNode v) {
    if (v.isIntegralNumber() && v.asLong() >= 0) {
      return v.asLong();
    }
    if (v.isNumber() && v.asDouble() >= 0 && v.asDouble() == Math.rint(v.asDouble())) {
      return (long) v.asDouble();
    }
    if (v.isTextual()) {
      String s = v.asText().trim();
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        try {
          return Long.parseLong(s);
        } catch (NumberFormatException e) {
          throw invalid(field, v, "permission bit field");
        }
      }
      long bits = 0;
      for (String part : s.split("\\|")) {
        bits |= permissionNamed(field, part);
      }
      return bits;
    }
    if (v.isArray()) {
      long bits = 0;
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          throw invalid(field, item, "permission name");
        }
        bits |= permissionNamed(field, item.asText());
      }
      return bits;
    }
    throw invalid(field, v, "permission bit field (a string of digits) or permission names");
  }

  private long permissionNamed(String field, String name) {
    DiscordPermission p = DiscordPermission.named(name);
    if (p == null) {
      throw bad(field, "unknown permission `" + name.trim() + "`: expected Discord's names, e.g. SEND_MESSAGES");
    }
    return p.bit();
  }

  /** The node as a mutable copy, for bodies the plugin adjusts before sending. */
  ObjectNode copy() {
    return node.deepCopy();
  }

  /** A value as the error shows it: its Luau type, with the value itself for strings, numbers and booleans. */
  static String kind(JsonNode v) {
    if (v == null || v.isNull()) {
      return "nil";
    }
    if (v.isTextual()) {
      String s = v.asText();
      return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
    if (v.isBoolean()) {
      return "boolean " + v.asBoolean();
    }
    if (v.isNumber()) {
      return "number " + v.asText();
    }
    return v.isArray() && !v.isEmpty() ? "list" : "table";
  }
}
