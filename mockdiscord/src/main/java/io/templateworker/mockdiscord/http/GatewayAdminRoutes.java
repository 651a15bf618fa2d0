package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.templateworker.mockdiscord.gateway.GatewaySettings;
import io.templateworker.mockdiscord.gateway.MockGateway;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import java.time.Duration;

/**
 * Admin routes of the gateway side, under {@code /__mock/gateway}: inspect sessions, change timings, drop connections,
 * invalidate sessions and ask clients to reconnect (tests of heartbeats, resume and re-identify).
 */
final class GatewayAdminRoutes {

    private final AdminRoutes admin;
    private final MockGateway gateway;

    GatewayAdminRoutes(AdminRoutes admin, MockGateway gateway) {
        this.admin = admin;
        this.gateway = gateway;
    }

    void register(JavalinConfig config) {
        admin.route(config, HandlerType.GET, "/gateway", ctx -> gateway.describe());
        admin.route(config, HandlerType.PUT, "/gateway", ctx -> {
            ObjectNode body = AdminRoutes.objectBody(ctx);
            GatewaySettings s = gateway.settings();
            try {
                if (body.has("heartbeat_interval_ms")) {
                    s = s.withHeartbeatInterval(Duration.ofMillis(positive(body, "heartbeat_interval_ms")));
                }
                if (body.has("ack_heartbeats")) {
                    s = s.withAckHeartbeats(body.get("ack_heartbeats").asBoolean());
                }
                if (body.has("max_concurrency") || body.has("identify_window_ms")) {
                    s = s.withIdentifyLimit(body.has("max_concurrency") ? (int) positive(body, "max_concurrency") : s.maxConcurrency(),
                            body.has("identify_window_ms") ? Duration.ofMillis(body.get("identify_window_ms").asLong()) : s.identifyWindow());
                }
                if (body.has("session_timeout_ms")) {
                    s = s.withSessionTimeout(Duration.ofMillis(positive(body, "session_timeout_ms")));
                }
                if (body.has("replay_limit")) {
                    s = s.withReplayLimit((int) positive(body, "replay_limit"));
                }
                if (body.has("privileged_intents")) {
                    s = s.withPrivilegedIntents(body.get("privileged_intents").asInt());
                }
                if (body.has("shards")) {
                    gateway.setShards((int) positive(body, "shards"));
                }
            } catch (IllegalArgumentException e) {
                throw DiscordError.invalidForm("_root", "BASE_TYPE_BAD_VALUE", e.getMessage());
            }
            gateway.settings(s);
            return gateway.describe();
        });
        admin.route(config, HandlerType.POST, "/gateway/drop", ctx -> {
            ObjectNode body = AdminRoutes.objectBody(ctx);
            Integer code = body.hasNonNull("code") ? body.get("code").asInt() : null;
            if (code != null && (code < 1000 || code > 4999)) {
                throw DiscordError.invalidForm("code", "NUMBER_TYPE_MAX", "close codes are 1000 to 4999");
            }
            return count("dropped", gateway.drop(shard(body), code));
        });
        admin.route(config, HandlerType.POST, "/gateway/invalidate", ctx -> {
            ObjectNode body = AdminRoutes.objectBody(ctx);
            return count("invalidated", gateway.invalidate(shard(body), body.path("resumable").asBoolean(false)));
        });
        admin.route(config, HandlerType.POST, "/gateway/reconnect", ctx -> count("told", gateway.requestReconnect(shard(AdminRoutes.objectBody(ctx)))));
    }

    private static Integer shard(JsonNode body) {
        return body.hasNonNull("shard_id") ? body.get("shard_id").asInt() : null;
    }

    private static long positive(JsonNode body, String field) {
        long v = body.get(field).asLong();
        if (v < 1) {
            throw DiscordError.invalidForm(field, "NUMBER_TYPE_MIN", field + " must be at least 1");
        }
        return v;
    }

    private static ObjectNode count(String field, int n) {
        ObjectNode o = Json.obj();
        o.put(field, n);
        return o;
    }
}
