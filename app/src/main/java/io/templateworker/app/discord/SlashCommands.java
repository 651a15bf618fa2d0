package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.vm.TemplateFailure;
import java.io.IOException;
import java.util.Set;

/**
 * The bot's global slash commands (UPSTREAM.md §11): {@code ./builtins.register} of {@code templates.builtins} returns
 * {@code {commands = {…}}}, each a Discord CreateCommand; {@code --worker-type register} bulk-overwrites the global
 * commands with them and {@code GET /bot-state} serves them.
 */
public final class SlashCommands {

    /** The register script, relative to {@code templates.builtins}. */
    public static final String REGISTER_FILE = "builtins.register.luau";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields Discord expects as arrays: an empty Luau table arrives as an empty map. */
    private static final Set<String> ARRAYS = Set.of("options", "choices", "channel_types", "integration_types", "contexts");

    private SlashCommands() {
    }

    /**
     * Evaluates the register script in a throw-away VM and returns the commands as Discord's JSON.
     *
     * @throws IllegalStateException with what the script did wrong
     */
    public static ArrayNode evaluate(LuauIsolateFactory isolates) {
        KhronosValue value;
        try {
            value = isolates.evaluateBuiltinsFile(REGISTER_FILE);
        } catch (TemplateFailure e) {
            throw new IllegalStateException("./builtins.register failed: " + e.getMessage(), e);
        }
        JsonNode result = toJson(value, null);
        JsonNode commands = result.path("commands");
        if (commands.isObject() && commands.isEmpty()) {
            return JSON.createArrayNode(); // {} and {} look alike in Luau
        }
        if (!commands.isArray()) {
            throw new IllegalStateException("./builtins.register must return {commands = {...}} (a list of CreateCommand tables),"
                    + " got " + abbreviate(result.toString()));
        }
        for (JsonNode c : commands) {
            if (!c.isObject() || !c.path("name").isTextual()) {
                throw new IllegalStateException("./builtins.register: every command needs a name, got " + abbreviate(c.toString()));
            }
        }
        return (ArrayNode) commands;
    }

    /** Bulk-overwrites the bot's global commands ({@code PUT /applications/{app}/commands}); returns how many Discord kept. */
    public static int registerGlobal(DiscordRest rest, ArrayNode commands) {
        try {
            long app = Long.parseUnsignedLong(JSON.readTree(rest.execute(DiscordRequest.get("/users/@me")).body()).path("id").asText());
            String body = rest.execute(DiscordRequest.of("PUT", "/applications/{application_id}/commands", app)
                    .withBody(commands.toString())).body();
            return JSON.readTree(body).size();
        } catch (IOException e) {
            throw new IllegalStateException("Discord answered invalid JSON: " + e.getMessage(), e);
        }
    }

    /** Plain JSON of a template value: maps with text keys are objects, lists arrays. */
    static JsonNode toJson(KhronosValue v, String field) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (v) {
            case null -> f.nullNode();
            case KhronosValue.Null n -> f.nullNode();
            case KhronosValue.Text t -> f.textNode(t.value());
            case KhronosValue.Int i -> f.numberNode(i.value());
            case KhronosValue.UInt u -> f.textNode(Long.toUnsignedString(u.bits()));
            case KhronosValue.Float d -> d.value() == Math.rint(d.value()) && Math.abs(d.value()) < 1e15
                    ? f.numberNode((long) d.value()) : f.numberNode(d.value());
            case KhronosValue.Bool b -> f.booleanNode(b.value());
            case KhronosValue.ListValue l -> {
                ArrayNode a = f.arrayNode();
                l.items().forEach(item -> a.add(toJson(item, null)));
                yield a;
            }
            case KhronosValue.MapValue m -> {
                if (m.entries().isEmpty() && field != null && ARRAYS.contains(field)) {
                    yield f.arrayNode();
                }
                ObjectNode o = f.objectNode();
                for (KhronosValue.Entry e : m.entries()) {
                    String key = e.key() instanceof KhronosValue.Text t ? t.value() : keyText(e.key());
                    o.set(key, toJson(e.value(), key));
                }
                yield o;
            }
            default -> f.textNode(v.toString());
        };
    }

    private static String keyText(KhronosValue key) {
        JsonNode k = toJson(key, null);
        return k.isTextual() ? k.asText() : k.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
