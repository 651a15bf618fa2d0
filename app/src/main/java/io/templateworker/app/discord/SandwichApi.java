package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.discord.gateway.DiscordGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the service asks of Sandwich's HTTP API ({@code meta.sandwich_http_api}, UPSTREAM.md §10.2) when an existing
 * Anti-Raid deployment keeps Sandwich in front of Discord: where its gateway producer listens and how many shards it
 * runs ({@code GET antiraid/api/gateway/bot}, Discord's {@code /gateway/bot} shape).
 */
final class SandwichApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SandwichApi() {
    }

    /** Sandwich's gateway producer; a reply without a URL or with 0 shards is an error (upstream retries it). */
    static DiscordGateway.GatewayBot gatewayBot(String base) {
        JsonNode n = get(base, "antiraid/api/gateway/bot");
        if (n.has("data") && n.get("data").isObject()) {
            n = n.get("data"); // {ok, data} envelope of Sandwich's state routes
        }
        String url = n.path("url").asText("");
        int shards = n.path("shards").asInt(0);
        if (url.isEmpty() || shards <= 0) {
            throw new IllegalStateException("Sandwich at " + base + " answered GET antiraid/api/gateway/bot without a gateway url"
                    + " or with 0 shards: " + n);
        }
        JsonNode limit = n.path("session_start_limit");
        return new DiscordGateway.GatewayBot(url, shards, Math.max(1, limit.path("max_concurrency").asInt(1)),
                limit.path("remaining").asInt(1000), limit.path("reset_after").asLong(0));
    }

    private static JsonNode get(String base, String path) {
        URI uri = URI.create((base.endsWith("/") ? base : base + "/") + path);
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("Sandwich answered " + r.statusCode() + " to GET " + uri + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("Sandwich at " + uri + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking Sandwich " + uri, e);
        }
    }
}
