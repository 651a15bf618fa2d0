package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.templateworker.mockdiscord.ratelimit.MockRateLimits;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockActions;
import io.templateworker.mockdiscord.state.MockChannel;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.mockdiscord.state.MockInteraction;
import io.templateworker.mockdiscord.state.MockMember;
import io.templateworker.mockdiscord.state.MockMessage;
import io.templateworker.mockdiscord.state.MockRole;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.MockUser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import java.util.function.Function;

/**
 * Admin routes under {@code /__mock/} for tests, the dev UI and tools; documented in {@code GET /__mock/openapi}.
 * Bodies use Discord's own object shapes. Errors are {@code {"message", "code"}} as Discord's.
 */
public final class AdminRoutes {

    public static final String PREFIX = "/__mock";

    private final MockState state;
    private final MockActions actions;
    private final MockRateLimits limits;
    private final Faults faults;
    private final RequestLog requests;

    public AdminRoutes(MockState state, MockRateLimits limits, Faults faults, RequestLog requests) {
        this.state = state;
        this.actions = new MockActions(state);
        this.limits = limits;
        this.faults = faults;
        this.requests = requests;
    }

    void register(JavalinConfig config) {
        route(config, HandlerType.GET, "/state", ctx -> stateJson());
        route(config, HandlerType.POST, "/guilds", ctx -> guildJson(actions.createGuild(objectBody(ctx))));
        route(config, HandlerType.POST, "/guilds/{guild_id}/members", ctx -> {
            ObjectNode body = objectBody(ctx);
            MockGuild g = state.guild(id(ctx, "guild_id"));
            JsonNode u = body.path("user");
            long uid = u.hasNonNull("id") ? Json.snowflake(u.get("id")) : state.nextId();
            if (uid <= 0) {
                throw DiscordError.required("user.id");
            }
            if (g.members.containsKey(uid)) {
                throw new DiscordError(400, 0, "user " + uid + " is already a member of guild " + g.id);
            }
            if (g.bans.containsKey(uid)) {
                throw new DiscordError(403, 40007, "The user is banned from this guild.");
            }
            MockUser user = state.putUser(uid, Json.text(u, "username", null), u.path("bot").asBoolean(false));
            java.util.List<Long> roles = new java.util.ArrayList<>();
            for (JsonNode r : body.path("roles")) {
                roles.add(state.role(g, Json.snowflake(r)).id);
            }
            MockMember m = state.addMember(g, user, roles);
            m.nick = Json.text(body, "nick", null);
            return m.toJson();
        });
        route(config, HandlerType.GET, "/channels/{channel_id}/messages", ctx -> {
            MockChannel ch = state.channel(id(ctx, "channel_id"));
            ArrayNode out = Json.arr();
            for (MockMessage m : ch.messages.values()) {
                out.add(m.toJson(0));
            }
            return out;
        });
        route(config, HandlerType.POST, "/guilds/{guild_id}/channels/{channel_id}/messages", ctx -> {
            ObjectNode body = objectBody(ctx);
            long author = Json.snowflake(body.get("author_id"));
            if (author <= 0) {
                throw DiscordError.required("author_id");
            }
            return actions.memberMessage(id(ctx, "guild_id"), id(ctx, "channel_id"), author, body).toJson(0);
        });
        route(config, HandlerType.POST, "/guilds/{guild_id}/interactions", ctx -> {
            ObjectNode body = objectBody(ctx);
            String command = Json.text(body, "command", null);
            if (command == null) {
                throw DiscordError.required("command");
            }
            MockInteraction i = actions.slashCommand(id(ctx, "guild_id"), Json.snowflake(body.get("channel_id")),
                    Json.snowflake(body.get("user_id")), command, body.get("options"));
            return actions.interactionJson(i);
        });
        route(config, HandlerType.POST, "/oauth2/codes", ctx -> {
            ObjectNode body = objectBody(ctx);
            long uid = Json.snowflake(body.get("user_id"));
            MockUser user = state.user(uid);
            String code = UserRoutes.issueCode(state, user, Json.text(body, "scope", "identify guilds"), Json.text(body, "redirect_uri", null));
            ObjectNode o = Json.obj();
            o.put("code", code);
            return o;
        });
        route(config, HandlerType.GET, "/ratelimits", ctx -> Json.MAPPER.valueToTree(limits.describe()));
        route(config, HandlerType.PUT, "/ratelimits", ctx -> {
            ObjectNode body = objectBody(ctx);
            if (body.has("global")) {
                limits.setGlobal(limit(body.get("global"), "global"));
            }
            if (body.has("default")) {
                limits.setDefault(limit(body.get("default"), "default"));
            }
            for (JsonNode b : body.path("buckets")) {
                String name = Json.text(b, "name", null);
                if (name == null) {
                    throw DiscordError.required("buckets.name");
                }
                limits.setLimit(name, limit(b, "buckets." + name));
            }
            return Json.MAPPER.valueToTree(limits.describe());
        });
        route(config, HandlerType.POST, "/ratelimits/429", ctx -> {
            ObjectNode body = objectBody(ctx);
            String scope = Json.text(body, "scope", "user");
            if (!scope.equals("user") && !scope.equals("shared") && !scope.equals("global")) {
                throw DiscordError.invalidForm("scope", "BASE_TYPE_CHOICES", "Value must be one of user, shared, global.");
            }
            String route = Json.text(body, "route", null);
            if (route == null) {
                throw DiscordError.required("route");
            }
            limits.force(new MockRateLimits.Forced(Json.text(body, "method", null), route, Math.max(1, body.path("count").asInt(1)),
                    body.path("retry_after").asDouble(1.0), scope));
            return Json.MAPPER.valueToTree(limits.describe().get("forced"));
        });
        route(config, HandlerType.DELETE, "/ratelimits/429", ctx -> {
            limits.clearForced();
            return null;
        });
        route(config, HandlerType.POST, "/errors", ctx -> {
            ObjectNode body = objectBody(ctx);
            String route = Json.text(body, "route", null);
            int status = body.path("status").asInt(500);
            if (route == null) {
                throw DiscordError.required("route");
            }
            if (status < 400 || status > 599) {
                throw DiscordError.invalidForm("status", "NUMBER_TYPE_MIN", "status must be 400 to 599");
            }
            faults.add(new Faults.Fault(Json.text(body, "method", null), route, Math.max(1, body.path("count").asInt(1)), status));
            return null;
        });
        route(config, HandlerType.DELETE, "/errors", ctx -> {
            faults.clear();
            return null;
        });
        route(config, HandlerType.GET, "/requests", ctx -> Json.MAPPER.valueToTree(requests.entries()));
        route(config, HandlerType.DELETE, "/requests", ctx -> {
            requests.clear();
            return null;
        });
        route(config, HandlerType.GET, "/ratelimits/stats", ctx -> Json.MAPPER.valueToTree(limits.stats()));
        route(config, HandlerType.DELETE, "/ratelimits/stats", ctx -> {
            limits.resetStats();
            return null;
        });
        config.routes.get(PREFIX + "/openapi", ctx -> {
            try (InputStream in = AdminRoutes.class.getResourceAsStream("/mockdiscord/openapi.json")) {
                ctx.contentType("application/json").result(in.readAllBytes());
            }
        });
    }

    private static MockRateLimits.Limit limit(JsonNode node, String field) {
        if (!node.has("limit") || !node.has("window_ms")) {
            throw DiscordError.required(field + ".limit and " + field + ".window_ms");
        }
        int limit = node.get("limit").asInt();
        long window = node.get("window_ms").asLong();
        if (limit < 0 || window <= 0) {
            throw DiscordError.invalidForm(field, "NUMBER_TYPE_MIN", "limit must be 0 or more, window_ms more than 0");
        }
        return new MockRateLimits.Limit(limit, Duration.ofMillis(window));
    }

    /** {@code {guilds: [{id, name, owner_id, channels, roles, members}]}}. */
    public ObjectNode stateJson() {
        ObjectNode o = Json.obj();
        ArrayNode guilds = o.putArray("guilds");
        for (MockGuild g : state.guilds.values()) {
            guilds.add(guildJson(g));
        }
        return o;
    }

    private ObjectNode guildJson(MockGuild g) {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(g.id));
        o.put("name", g.name);
        o.put("owner_id", Json.id(g.ownerId));
        ArrayNode channels = o.putArray("channels");
        for (MockChannel c : g.channels.values()) {
            channels.add(c.toJson());
        }
        ArrayNode roles = o.putArray("roles");
        for (MockRole r : g.roles.values()) {
            roles.add(r.toJson());
        }
        ArrayNode members = o.putArray("members");
        for (MockMember m : g.members.values()) {
            members.add(m.toJson());
        }
        return o;
    }

    /** Registers an admin route: run under the state lock, JSON out (null = 204), Discord's error bodies. */
    void route(JavalinConfig config, HandlerType method, String path, Function<Context, JsonNode> handler) {
        config.routes.addHttpHandler(method, PREFIX + path, ctx -> {
            try {
                JsonNode result = state.locked(() -> handler.apply(ctx));
                if (result == null) {
                    ctx.status(204);
                } else {
                    ctx.status(method == HandlerType.POST && path.equals("/guilds") ? 201 : 200)
                            .contentType("application/json").result(Json.MAPPER.writeValueAsBytes(result));
                }
            } catch (DiscordError e) {
                ctx.status(e.status()).json(e.body());
            }
        });
    }

    private static long id(Context ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw DiscordError.invalidForm(name, "NUMBER_TYPE_COERCE", "Value \"" + v + "\" is not snowflake.");
        }
    }

    static ObjectNode objectBody(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return Json.obj();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            throw DiscordError.invalidJson();
        }
        throw DiscordError.invalidForm("_root", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    }
}
