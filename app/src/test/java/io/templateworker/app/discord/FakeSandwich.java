package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for Sandwich's HTTP API in tests: {@code GET /antiraid/api/state?col=&id=[&guild_id=]}
 * answers {@code {ok, data, error}} from what the test put in, and a miss as Sandwich does ({@code ok} false).
 */
public final class FakeSandwich implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, JsonNode> state = new ConcurrentHashMap<>();
    /** The query string of every state request, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeSandwich() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/antiraid/api/state", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query);
            Map<String, String> q = new java.util.HashMap<>();
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8));
            }
            JsonNode data = state.get(key(q.get("col"), q.get("id"), q.get("guild_id")));
            ObjectNode reply = JSON.createObjectNode();
            reply.put("ok", data != null);
            reply.set("data", data);
            if (data == null) {
                reply.put("error", "not found in cache");
            }
            byte[] body = JSON.writeValueAsBytes(reply);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Sandwich's HTTP API base, as {@code meta.sandwich_http_api} names it. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What {@code col} answers for {@code id} (and {@code guildId}, 0 for none). */
    public FakeSandwich put(String col, long id, long guildId, String json) {
        try {
            state.put(key(col, Long.toUnsignedString(id), guildId == 0 ? null : Long.toUnsignedString(guildId)), JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    private static String key(String col, String id, String guildId) {
        return col + "/" + id + "/" + (guildId == null ? "" : guildId);
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
        }
    }
}
