package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/** JSON building blocks shared by the mock: Discord writes ids as strings and times as ISO-8601 with an offset. */
public final class Json {

    // A shared buffer pool: the default one is per thread, and each virtual thread would allocate its own buffers.
    public static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().recyclerPool(
            com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** The node as JSON text, through {@link #MAPPER}'s shared buffers (unlike {@code toString()}). */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree: " + e.getMessage(), e);
        }
    }

    public static ObjectNode obj() {
        return F.objectNode();
    }

    public static ArrayNode arr() {
        return F.arrayNode();
    }

    public static String id(long id) {
        return Long.toUnsignedString(id);
    }

    public static ArrayNode ids(Collection<Long> ids) {
        ArrayNode a = arr();
        for (long id : ids) {
            a.add(id(id));
        }
        return a;
    }

    public static String time(Instant t) {
        return t == null ? null : ISO.format(t);
    }

    /** A snowflake read from a string or number node; -1 when absent or not an id. */
    public static long snowflake(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return -1;
        }
        String s = node.asText();
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A permission bit set read from a string (Discord's v10 form) or a number. */
    public static long bits(JsonNode node, long def) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return def;
        }
        try {
            return node.isNumber() ? node.longValue() : Long.parseLong(node.asText());
        } catch (NumberFormatException e) {
            throw DiscordError.invalidForm("permissions", "NUMBER_TYPE_COERCE", "Value \"" + node.asText() + "\" is not int.");
        }
    }

    public static String text(JsonNode node, String field, String def) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? def : v.asText();
    }

    public static ArrayNode array(JsonNode node) {
        return node instanceof ArrayNode a ? a.deepCopy() : arr();
    }
}
