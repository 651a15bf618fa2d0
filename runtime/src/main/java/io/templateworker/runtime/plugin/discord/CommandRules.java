package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.runtime.plugin.PluginError;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Upstream's rules for guild commands a template creates (UPSTREAM.md §8.4, "Command validation"): names,
 * descriptions, localisations and string choice values must be plain ASCII words that are not offensive; chat-input
 * names must match Discord's name pattern; options nest at most 3 levels.
 *
 * <p>Upstream decides "not offensive" by accepting only words found in a dictionary of clean English words. We keep
 * the two checks that matter for a bot's command list — ASCII only (no look-alike letters or zalgo), no offensive
 * word hidden in a name, even run together ("fr33fuck") — with a short list of offensive stems instead of a 270,000-word
 * allow list, so ordinary names that are not dictionary words ("antiraid", "modlog") are accepted. Only tenants staff
 * allowed to manage guild commands get this far.
 */
final class CommandRules {
  /** Discord's pattern for chat-input command and option names. */
  private static final Pattern NAME = Pattern.compile("^[-_'\\p{L}\\p{N}\\p{IsDevanagari}\\p{IsThai}]{1,32}$");
  /** Offensive stems, matched inside the letters of each word (lower case, digits and signs dropped). */
  private static final Set<String> OFFENSIVE = Set.of("fuck", "shit", "cunt", "bitch", "nigger", "nigga", "faggot",
      "fag", "whore", "slut", "rape", "retard", "porn", "dick", "cock", "pussy", "penis", "vagina", "anal", "asshole",
      "bastard", "wank", "twat", "spic", "chink", "kike", "tranny", "nazi", "hitler", "sex", "nude", "boob", "tits");
  /** Stems that are also parts of harmless words; matched only as a whole word. */
  private static final Set<String> WHOLE_WORD_ONLY = Set.of("fag", "anal", "sex", "spic", "dick", "cock", "nazi", "tits", "rape");

  private CommandRules() {
  }

  /** Checks one command; {@code req} and {@code field} name it in an argument error ({@code data}, {@code data[2]}). */
  static void validate(Req req, String field, JsonNode command) {
    if (!command.isObject()) {
      throw req.bad(field, "table expected, got " + Req.kind(command));
    }
    int type = command.path("type").asInt(1);
    boolean chatInput = type == 1;
    JsonNode name = command.get("name");
    if (name != null && !name.isNull()) {
      safe(name.asText());
      if (chatInput) {
        chatInputName(name.asText());
      }
    }
    localisations(command.get("name_localizations"), chatInput);
    JsonNode description = command.get("description");
    if (description != null && !description.isNull()) {
      safe(description.asText());
    }
    localisations(command.get("description_localizations"), false);
    for (JsonNode option : command.path("options")) {
      option(option, chatInput, 1);
    }
  }

  private static void option(JsonNode option, boolean chatInput, int depth) {
    if (depth > 3) {
      throw new PluginError("Exceeded maximum depth of 3 for command options");
    }
    String name = option.path("name").asText("");
    safe(name);
    if (chatInput) {
      chatInputName(name);
    }
    localisations(option.get("name_localizations"), chatInput);
    safe(option.path("description").asText(""));
    localisations(option.get("description_localizations"), false);
    for (JsonNode sub : option.path("options")) {
      option(sub, chatInput, depth + 1);
    }
    for (JsonNode choice : option.path("choices")) {
      safe(choice.path("name").asText(""));
      JsonNode value = choice.get("value");
      if (value != null && value.isTextual()) {
        safe(value.asText());
      }
    }
  }

  private static void localisations(JsonNode map, boolean chatInput) {
    if (map == null || !map.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      safe(e.getKey());
      safe(e.getValue().asText());
      if (chatInput) {
        chatInputName(e.getValue().asText());
      }
    }
  }

  static void chatInputName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new PluginError("Name '" + name + "' does not match Discord's regex for CHAT_INPUT commands");
    }
  }

  /** ASCII only, and no offensive stem in any word. */
  static void safe(String input) {
    for (int i = 0; i < input.length(); i++) {
      if (input.charAt(i) > 0x7f) {
        throw new PluginError("Input contains disallowed words: \"" + input + "\" (only ASCII characters are allowed)");
      }
    }
    for (String word : input.split("[\\s\\-_!]+")) {
      String letters = lettersOf(word);
      if (letters.isEmpty()) {
        continue;
      }
      for (String stem : OFFENSIVE) {
        boolean hit = WHOLE_WORD_ONLY.contains(stem) ? letters.equals(stem) || letters.equals(stem + "s")
            : letters.contains(stem);
        if (hit) {
          throw new PluginError("Input contains disallowed words: \"" + input + "\" (the word \"" + word + "\")");
        }
      }
    }
  }

  /** The word's letters in lower case, with look-alike digits and signs read as the letters they stand for. */
  private static String lettersOf(String word) {
    StringBuilder out = new StringBuilder(word.length());
    for (char c : word.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '0' -> out.append('o');
        case '1', '!' -> out.append('i');
        case '3' -> out.append('e');
        case '4', '@' -> out.append('a');
        case '5', '$' -> out.append('s');
        case '7' -> out.append('t');
        default -> {
          if (c >= 'a' && c <= 'z') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
