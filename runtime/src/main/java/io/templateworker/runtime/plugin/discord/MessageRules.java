package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.plugin.PluginError;

/**
 * Upstream's message rules (UPSTREAM.md §8.4, "Message validation" and "Disclaimer injection") for create and edit
 * message and execute webhook, with the error texts templates know ("Message content is too long, limit is 2000").
 *
 * <p><b>Lengths are counted as Discord counts them: in characters (Unicode code points), not UTF-8 bytes.</b>
 * Discord's documented limits ("2000 characters", "256 characters") are character counts, and its API counts a
 * string's characters when it enforces them. Upstream compared UTF-8 byte lengths (§12 #34), so a reply of 700 emoji
 * or 1,000 Cyrillic letters — which Discord accepts — was refused before it was sent. Counting code points means a
 * message that passes here is one Discord would take too, and one it would refuse is refused here, with our text.
 */
final class MessageRules {
  static final int CONTENT_LIMIT = 2000;
  static final int TOTAL_EMBED_LIMIT = 6000;
  static final int MAX_EMBEDS = 10;
  static final int WEBHOOK_USERNAME_LIMIT = 80;

  /** The footer upstream appends to messages templates send, so readers know a template wrote them. */
  static final String DISCLAIMER = "Content provided by users is the sole responsibility of the author. AntiRaid does not"
      + " monitor, verify, or endorse any user-generated messages.";

  /** What kind of message is checked: the "nothing set" rule names the fields each accepts. */
  enum Kind {
    CREATE("No content/embeds/attachments/poll/sticker_ids/components set"),
    EDIT("No content/embeds/attachments/components set"),
    WEBHOOK("No content/embeds/attachments/poll/components set");

    final String nothingSet;

    Kind(String nothingSet) {
      this.nothingSet = nothingSet;
    }
  }

  private MessageRules() {
  }

  /** Discord's length of a string: its characters (code points). */
  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * Checks a message body; returns the characters its embeds use (for the disclaimer's budget).
   *
   * @param data the argument the body came from, to name a field of the wrong type in the one argument-error format
   * @throws PluginError with upstream's text for the first rule broken
   */
  static int validate(Req data, JsonNode msg, Kind kind) {
    boolean hasContent = present(msg, "content");
    boolean hasEmbeds = nonEmptyList(msg, "embeds");
    boolean hasAttachments = nonEmptyList(msg, "attachments");
    boolean hasPoll = kind != Kind.EDIT && present(msg, "poll");
    boolean hasStickers = kind == Kind.CREATE && nonEmptyList(msg, "sticker_ids");
    boolean hasComponents = nonEmptyList(msg, "components");
    if (!hasContent && !hasEmbeds && !hasAttachments && !hasPoll && !hasStickers && !hasComponents) {
      throw new PluginError(kind.nothingSet);
    }
    if (hasContent) {
      String content = text(data, msg, "content");
      if (content.isEmpty()) {
        throw new PluginError("Message content cannot be empty");
      }
      if (length(content) > CONTENT_LIMIT) {
        throw new PluginError("Message content is too long, limit is " + CONTENT_LIMIT);
      }
    }
    int total = 0;
    JsonNode embeds = msg.get("embeds");
    if (embeds != null && embeds.isArray()) {
      for (int i = 0; i < embeds.size(); i++) {
        total += embed(data, "embeds[" + (i + 1) + "]", embeds.get(i));
        if (total > TOTAL_EMBED_LIMIT) {
          throw new PluginError("Total embed characters is too long, limit is " + TOTAL_EMBED_LIMIT);
        }
      }
    }
    JsonNode components = msg.get("components");
    if (components != null && components.isArray()) {
      components(components);
    }
    if (kind == Kind.WEBHOOK && present(msg, "username")) {
      String username = text(data, msg, "username");
      if (username.isEmpty()) {
        throw new PluginError("Webhook username cannot be empty");
      }
      if (length(username) > WEBHOOK_USERNAME_LIMIT) {
        throw new PluginError("Webhook username is too long, limit is " + WEBHOOK_USERNAME_LIMIT);
      }
    }
    return total;
  }

  /** One embed's rules ({@code path}: where it is in {@code data}); returns the characters it counts towards the 6000 total. */
  static int embed(Req data, String path, JsonNode e) {
    if (!e.isObject()) {
      throw data.bad(path, "table expected, got " + Req.kind(e));
    }
    int total = 0;
    total += limited(data, path, e, "title", "Embed title", 256, false);
    total += limited(data, path, e, "description", "Embed description", 4096, false);
    JsonNode footer = e.get("footer");
    if (footer != null && !footer.isNull()) {
      total += limited(data, path + ".footer", footer, "text", "Embed footer text", 2048, true);
    }
    JsonNode author = e.get("author");
    if (author != null && !author.isNull()) {
      total += limited(data, path + ".author", author, "name", "Embed author name", 256, true);
    }
    JsonNode fields = e.get("fields");
    if (fields != null && fields.isArray()) {
      for (int i = 0; i < fields.size(); i++) {
        String at = path + ".fields[" + (i + 1) + "]";
        total += limited(data, at, fields.get(i), "name", "Embed field name", 256, true);
        total += limited(data, at, fields.get(i), "value", "Embed field value", 1024, true);
      }
    }
    return total;
  }

  private static int limited(Req data, String path, JsonNode parent, String field, String label, int limit, boolean required) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new PluginError(label + " cannot be empty");
      }
      return 0;
    }
    if (!v.isTextual()) {
      throw data.bad(path + "." + field, "string expected, got " + Req.kind(v));
    }
    String s = v.asText();
    if (s.isEmpty()) {
      throw new PluginError(label + " cannot be empty");
    }
    int n = length(s);
    if (n > limit) {
      throw new PluginError(label + " is too long, limit is " + limit);
    }
    return n;
  }

  /** At most 5 action rows; each holds at most 5 buttons or exactly one select menu, never both (other components are Discord's to check). */
  static void components(JsonNode rows) {
    if (rows.size() > 5) {
      throw new PluginError("Too many components, limit is 5");
    }
    for (JsonNode row : rows) {
      if (row.path("type").asInt() != 1) {
        continue; // only action rows are checked, as upstream
      }
      int buttons = 0;
      int selects = 0;
      for (JsonNode c : row.path("components")) {
        int type = c.path("type").asInt();
        if (type == 2) {
          if (buttons >= 5) {
            throw new PluginError("Too many buttons in action row, limit is 5");
          }
          if (selects > 0) {
            throw new PluginError("Cannot have buttons and a select menu in action row");
          }
          buttons++;
        } else if (type >= 3 && type <= 8 && type != 4) {
          if (selects >= 1) {
            throw new PluginError("Too many select menus in action row, limit is 1");
          }
          if (buttons > 0) {
            throw new PluginError("Cannot have buttons and a select menu in action row");
          }
          selects++;
        }
      }
    }
  }

  /**
   * Adds the disclaimer to a message a template sends (create and edit message). Upstream appended an 11th embed and
   * refused a message that already had 10 (§12 #34), and its footer's 148 characters could push a valid message over
   * Discord's 6000-character embed total. Here the disclaimer goes where it fits, so no valid message is refused for
   * its sake and every message still carries it:
   * <ol>
   * <li>as its own embed (upstream's form) when there are fewer than 10 embeds and the total stays within 6000;</li>
   * <li>otherwise as a small-print line ({@code -# …}, Discord's subtext) after the content, when the content stays
   * within 2000 characters;</li>
   * <li>only when neither fits is the message refused, with a message that says how to make room.</li>
   * </ol>
   * An edit that does not set {@code embeds} keeps the message's embeds (and the disclaimer sent with it), so only an
   * edit that replaces the embeds gets the disclaimer again.
   *
   * @param embedChars what {@link #validate} returned for this message
   */
  static void injectDisclaimer(ObjectNode msg, int embedChars, boolean edit) {
    JsonNode embeds = msg.get("embeds");
    if (edit && (embeds == null || embeds.isNull())) {
      return;
    }
    int count = embeds != null && embeds.isArray() ? embeds.size() : 0;
    int disclaimerChars = length(DISCLAIMER);
    if (count < MAX_EMBEDS && embedChars + disclaimerChars <= TOTAL_EMBED_LIMIT) {
      ArrayNode list = embeds != null && embeds.isArray() ? (ArrayNode) embeds : msg.putArray("embeds");
      ObjectNode footer = JsonNodeFactory.instance.objectNode().put("text", DISCLAIMER);
      list.addObject().set("footer", footer);
      return;
    }
    String content = msg.path("content").isTextual() ? msg.get("content").asText() : "";
    String line = "-# " + DISCLAIMER;
    String withLine = content.isEmpty() ? line : content + "\n" + line;
    if (length(withLine) <= CONTENT_LIMIT) {
      msg.put("content", withLine);
      return;
    }
    throw new PluginError("This message has no room for the content disclaimer every template message carries: it needs"
        + " fewer than " + MAX_EMBEDS + " embeds with at most " + (TOTAL_EMBED_LIMIT - disclaimerChars) + " embed characters, or"
        + " content of at most " + (CONTENT_LIMIT - line.length() - 1) + " characters");
  }

  private static boolean present(JsonNode msg, String field) {
    JsonNode v = msg.get(field);
    return v != null && !v.isNull();
  }

  private static boolean nonEmptyList(JsonNode msg, String field) {
    JsonNode v = msg.get(field);
    return v != null && v.isArray() && !v.isEmpty();
  }

  private static String text(Req data, JsonNode msg, String field) {
    JsonNode v = msg.get(field);
    if (!v.isTextual()) {
      throw data.bad(field, "string expected, got " + Req.kind(v));
    }
    return v.asText();
  }

  /**
   * Luau cannot tell an empty list from an empty table, so {@code embeds = {}} arrives as {@code {}}: list fields of
   * a message are turned back into lists before the body is checked and sent.
   */
  static void normalizeLists(ObjectNode msg) {
    for (String f : new String[] {"embeds", "components", "attachments", "sticker_ids"}) {
      JsonNode v = msg.get(f);
      if (v != null && v.isObject() && v.isEmpty()) {
        msg.putArray(f);
      }
    }
    JsonNode embeds = msg.get("embeds");
    if (embeds != null && embeds.isArray()) {
      for (JsonNode e : embeds) {
        if (e.isObject() && e.get("fields") != null && e.get("fields").isObject() && e.get("fields").isEmpty()) {
          ((ObjectNode) e).putArray("fields");
        }
      }
    }
    JsonNode mentions = msg.get("allowed_mentions");
    if (mentions != null && mentions.isObject()) {
      for (String f : new String[] {"parse", "roles", "users"}) {
        JsonNode v = mentions.get(f);
        if (v != null && v.isObject() && v.isEmpty()) {
          ((ObjectNode) mentions).putArray(f);
        }
      }
    }
  }
}
