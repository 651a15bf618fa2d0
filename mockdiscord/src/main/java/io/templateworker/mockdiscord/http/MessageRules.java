package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockMessage;

/** Discord's limits on a message body (lengths in characters, as Discord counts them) and how a body is stored. */
final class MessageRules {

    private MessageRules() {
    }

    /** Validates a create body; {@code edit} allows an empty body (only present fields change). */
    static void validate(ObjectNode body, boolean edit) {
        JsonNode content = body.get("content");
        if (content != null && !content.isNull()) {
            int len = content.asText().codePointCount(0, content.asText().length());
            if (len > 2000) {
                throw DiscordError.maxLength("content", 2000);
            }
        }
        JsonNode embeds = body.get("embeds");
        if (embeds != null && embeds.isArray()) {
            if (embeds.size() > 10) {
                throw DiscordError.invalidForm("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
            }
            int total = 0;
            for (int i = 0; i < embeds.size(); i++) {
                total += embed(embeds.get(i), "embeds." + i);
            }
            if (total > 6000) {
                throw DiscordError.invalidForm("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
            }
        }
        JsonNode components = body.get("components");
        if (components != null && components.isArray()) {
            if (components.size() > 5 && (body.path("flags").asInt() & (1 << 15)) == 0) {
                throw DiscordError.invalidForm("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
            }
            for (int i = 0; i < components.size(); i++) {
                JsonNode row = components.get(i);
                if (row.path("type").asInt() == 1 && row.path("components").size() > 5) {
                    throw DiscordError.invalidForm("components." + i + ".components", "BASE_TYPE_MAX_LENGTH",
                            "Must be 5 or fewer in length.");
                }
            }
        }
        if (!edit && empty(body)) {
            throw DiscordError.emptyMessage();
        }
    }

    private static boolean empty(ObjectNode body) {
        boolean hasContent = body.hasNonNull("content") && !body.get("content").asText().isEmpty();
        return !hasContent && body.path("embeds").size() == 0 && body.path("components").size() == 0
                && body.path("sticker_ids").size() == 0 && !body.hasNonNull("poll") && body.path("attachments").size() == 0;
    }

    private static int embed(JsonNode e, String at) {
        int total = 0;
        total += len(e.path("title"), at + ".title", 256);
        total += len(e.path("description"), at + ".description", 4096);
        total += len(e.path("footer").path("text"), at + ".footer.text", 2048);
        total += len(e.path("author").path("name"), at + ".author.name", 256);
        JsonNode fields = e.path("fields");
        if (fields.size() > 25) {
            throw DiscordError.invalidForm(at + ".fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }
        for (int i = 0; i < fields.size(); i++) {
            JsonNode f = fields.get(i);
            if (!f.hasNonNull("name")) {
                throw DiscordError.required(at + ".fields." + i + ".name");
            }
            if (!f.hasNonNull("value")) {
                throw DiscordError.required(at + ".fields." + i + ".value");
            }
            total += len(f.path("name"), at + ".fields." + i + ".name", 256);
            total += len(f.path("value"), at + ".fields." + i + ".value", 1024);
        }
        return total;
    }

    private static int len(JsonNode v, String at, int max) {
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        String s = v.asText();
        int n = s.codePointCount(0, s.length());
        if (n > max) {
            throw DiscordError.maxLength(at, max);
        }
        return n;
    }

    /** Copies the fields of a create or edit body onto the message. */
    static void apply(MockMessage m, ObjectNode body) {
        if (body.has("content")) {
            m.content = body.get("content").isNull() ? "" : body.get("content").asText();
        }
        if (body.has("embeds")) {
            m.embeds = Json.array(body.get("embeds"));
            for (JsonNode e : m.embeds) {
                if (e instanceof ObjectNode o && !o.has("type")) {
                    o.put("type", "rich");
                }
            }
        }
        if (body.has("components")) {
            m.components = Json.array(body.get("components"));
        }
        if (body.has("attachments")) {
            m.attachments = Json.array(body.get("attachments"));
        }
        if (body.has("flags")) {
            // Only SUPPRESS_EMBEDS (4), EPHEMERAL (64), SUPPRESS_NOTIFICATIONS (4096) and IS_COMPONENTS_V2 can be set.
            m.flags = (m.flags & ~(4 | 64 | 4096 | 32768)) | (body.get("flags").asInt() & (4 | 64 | 4096 | 32768));
        }
        for (String f : new String[] {"poll", "sticker_items", "message_reference"}) {
            if (body.hasNonNull(f)) {
                m.extra.set(f, body.get(f).deepCopy());
            }
        }
        if (body.hasNonNull("sticker_ids")) {
            ArrayNode items = m.extra.putArray("sticker_items");
            for (JsonNode id : body.get("sticker_ids")) {
                items.addObject().put("id", id.asText()).put("name", "sticker").put("format_type", 1);
            }
        }
    }
}
