package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.DiscordPermission;
import io.templateworker.runtime.plugin.PluginError;
import java.util.ArrayList;
import java.util.List;

/**
 * One operation's argument table, read as upstream deserialises it into the operation's request type: a missing
 * required field is "missing field `channel_id`", a wrong type names the field and what was expected. Snowflakes are
 * strings of digits (numbers are accepted when whole and exact). The table arrives as JSON ({@code JsonLuau}).
 */
final class Req {
  private final JsonNode node;
  private final String where;

  Req(JsonNode node, String where) {
    this.node = node;
    this.where = where;
  }

  /** The operation's table; nil reads as an empty table (operations without fields take {@code {}} or nothing). */
  static Req of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return new Req(JsonNodeFactory.instance.objectNode(), "");
    }
    if (!node.isObject()) {
      throw new PluginError("invalid type: " + kind(node) + ", expected a table of options");
    }
    return new Req(node, "");
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
      throw new PluginError("missing field `" + name(field) + "`");
    }
    return v;
  }

  PluginError invalid(String field, JsonNode v, String expected) {
    return new PluginError("invalid type for `" + name(field) + "`: " + kind(v) + ", expected " + expected);
  }

  /** A required nested table (e.g. {@code data}). */
  Req object(String field) {
    JsonNode v = required(field);
    if (v.isArray() && v.isEmpty()) {
      return new Req(JsonNodeFactory.instance.objectNode(), name(field)); // {} and [] are the same empty Luau table
    }
    if (!v.isObject()) {
      throw invalid(field, v, "a table");
    }
    return new Req(v, name(field));
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
      throw invalid(field, v, "a list");
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
      throw invalid(field, v, "a snowflake (a string of digits)");
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
      throw invalid(field, v, "a string");
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
      throw invalid(field, v, "a boolean");
    }
    return v.asBoolean();
  }

  /** An optional whole number within {@code min..max}. */
  Long optInteger(String field, long min, long max) {
    if (!has(field)) {
      return null;
    }
    JsonNode v = node.get(field);
    if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
      throw invalid(field, v, "a whole number");
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw new PluginError("`" + name(field) + "` must be between " + min + " and " + max + ", got " + n);
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
          throw invalid(field, v, "a permission bit field");
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
          throw invalid(field, item, "permission names");
        }
        bits |= permissionNamed(field, item.asText());
      }
      return bits;
    }
    throw invalid(field, v, "a permission bit field (a string of digits) or permission names");
  }

  private long permissionNamed(String field, String name) {
    DiscordPermission p = DiscordPermission.named(name);
    if (p == null) {
      throw new PluginError("unknown permission `" + name.trim() + "` in `" + name(field) + "` (expected Discord's names, e.g."
          + " SEND_MESSAGES)");
    }
    return p.bit();
  }

  /** The node as a mutable copy, for bodies the plugin adjusts before sending. */
  ObjectNode copy() {
    return node.deepCopy();
  }

  static String kind(JsonNode v) {
    if (v == null || v.isNull()) {
      return "nil";
    }
    if (v.isTextual()) {
      String s = v.asText();
      return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
    if (v.isBoolean()) {
      return "boolean `" + v.asBoolean() + "`";
    }
    if (v.isNumber()) {
      return "number `" + v.asText() + "`";
    }
    if (v.isArray()) {
      return "a list";
    }
    return "a table";
  }
}
