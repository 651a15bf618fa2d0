package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mockdiscord.http.Api.Auth;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockCommand;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockState;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Application commands, global and per guild, with Discord's name and size rules. */
final class CommandRoutes {

    /** Discord's chat-input command name pattern. */
    private static final Pattern NAME = Pattern.compile("^[-_'\\p{L}\\p{N}\\p{IsDevanagari}\\p{IsThai}]{1,32}$");

    private CommandRoutes() {
    }

    static void register(Api api) {
        for (String base : new String[] {"/applications/{application_id}/commands",
            "/applications/{application_id}/guilds/{guild_id}/commands"}) {
            String bucket = base.contains("guilds") ? "commands.guild" : "commands.global";
            api.get(base, bucket, Auth.BOT, c -> {
                long guild = scope(c);
                ArrayNode out = Json.arr();
                for (MockCommand cmd : c.state.commands.values()) {
                    if (cmd.guildId == guild) {
                        out.add(cmd.toJson());
                    }
                }
                return out;
            });
            api.post(base, bucket, Auth.BOT, c -> {
                long guild = scope(c);
                ObjectNode body = c.body();
                validate(body, "");
                MockCommand existing = find(c.state, guild, body.path("name").asText(), body.path("type").asInt(1));
                if (existing != null) {
                    c.state.commands.remove(existing.id);
                }
                MockCommand cmd = new MockCommand(existing != null ? existing.id : c.state.nextId(), c.state.applicationId, guild, body);
                c.state.commands.put(cmd.id, cmd);
                c.status(existing != null ? 200 : 201);
                return cmd.toJson();
            });
            api.put(base, bucket, Auth.BOT, c -> {
                long guild = scope(c);
                JsonNode body = c.json();
                if (body == null || !body.isArray()) {
                    throw DiscordError.invalidForm("_root", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
                }
                if (body.size() > 200) {
                    throw DiscordError.invalidForm("_root", "BASE_TYPE_MAX_LENGTH", "Must be 200 or fewer in length.");
                }
                List<ObjectNode> bodies = new ArrayList<>();
                for (int i = 0; i < body.size(); i++) {
                    if (!(body.get(i) instanceof ObjectNode o)) {
                        throw DiscordError.invalidForm(Integer.toString(i), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
                    }
                    validate(o, i + ".");
                    bodies.add(o);
                }
                List<MockCommand> old = new ArrayList<>();
                for (MockCommand cmd : c.state.commands.values()) {
                    if (cmd.guildId == guild) {
                        old.add(cmd);
                    }
                }
                ArrayNode out = Json.arr();
                for (MockCommand cmd : old) {
                    c.state.commands.remove(cmd.id);
                }
                for (ObjectNode o : bodies) {
                    MockCommand previous = old.stream().filter(x -> x.name().equals(o.path("name").asText())
                            && x.type() == o.path("type").asInt(1)).findFirst().orElse(null);
                    MockCommand cmd = new MockCommand(previous != null ? previous.id : c.state.nextId(), c.state.applicationId, guild, o);
                    c.state.commands.put(cmd.id, cmd);
                    out.add(cmd.toJson());
                }
                return out;
            });
            api.get(base + "/{command_id}", bucket, Auth.BOT, c -> command(c, scope(c)).toJson());
            api.patch(base + "/{command_id}", bucket, Auth.BOT, c -> {
                long guild = scope(c);
                MockCommand cmd = command(c, guild);
                ObjectNode merged = cmd.body.deepCopy();
                c.body().properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
                validate(merged, "");
                MockCommand updated = new MockCommand(cmd.id, cmd.applicationId, guild, merged);
                c.state.commands.put(cmd.id, updated);
                return updated.toJson();
            });
            api.delete(base + "/{command_id}", bucket, Auth.BOT, c -> {
                c.state.commands.remove(command(c, scope(c)).id);
                return null;
            });
        }
    }

    /** The guild of a guild-command route (0 for global); the application must be the bot's own. */
    private static long scope(Call c) {
        if (c.id("application_id") != c.state.applicationId) {
            throw new DiscordError(403, 20012, "You are not authorized to perform this action on this application");
        }
        if (c.ctx.pathParamMap().containsKey("guild_id")) {
            MockGuild g = c.state.guilds.get(c.id("guild_id"));
            if (g == null || !g.members.containsKey(c.state.bot.id)) {
                throw DiscordError.missingAccess();
            }
            return g.id;
        }
        return 0;
    }

    private static MockCommand command(Call c, long guild) {
        MockCommand cmd = c.state.commands.get(c.id("command_id"));
        if (cmd == null || cmd.guildId != guild) {
            throw DiscordError.unknownCommand();
        }
        return cmd;
    }

    private static MockCommand find(MockState s, long guild, String name, int type) {
        for (MockCommand cmd : s.commands.values()) {
            if (cmd.guildId == guild && cmd.name().equals(name) && cmd.type() == type) {
                return cmd;
            }
        }
        return null;
    }

    private static void validate(ObjectNode body, String at) {
        String name = Json.text(body, "name", null);
        if (name == null) {
            throw DiscordError.required(at + "name");
        }
        int type = body.path("type").asInt(1);
        if (type == 1) {
            if (!NAME.matcher(name).matches() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                throw DiscordError.invalidForm(at + "name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
            }
            String desc = Json.text(body, "description", null);
            if (desc == null) {
                throw DiscordError.required(at + "description");
            }
            if (desc.isEmpty() || desc.codePointCount(0, desc.length()) > 100) {
                throw DiscordError.badLength(at + "description", 1, 100);
            }
        } else if (name.isEmpty() || name.codePointCount(0, name.length()) > 32) {
            throw DiscordError.badLength(at + "name", 1, 32);
        }
        if (body.path("options").size() > 25) {
            throw DiscordError.invalidForm(at + "options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }
    }
}
