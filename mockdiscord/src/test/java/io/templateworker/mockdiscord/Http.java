package io.templateworker.mockdiscord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A small HTTP client for the mock's tests. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockDiscord discord;

    record Response(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Http(MockDiscord discord) {
        this.discord = discord;
    }

    /** A Discord route with the bot's token. */
    Response bot(String method, String path, Object body) {
        return send(method, discord.apiBase() + path, body, "Bot " + discord.botToken(), null);
    }

    Response bot(String method, String path, Object body, String reason) {
        return send(method, discord.apiBase() + path, body, "Bot " + discord.botToken(), reason);
    }

    Response api(String method, String path, Object body, String authorization) {
        return send(method, discord.apiBase() + path, body, authorization, null);
    }

    Response admin(String method, String path, Object body) {
        return send(method, discord.baseUrl() + "/__mock" + path, body, null, null);
    }

    Response form(String path, String form) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(discord.apiBase() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            return wrap(client.send(r, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    Response send(String method, String url, Object body, String authorization, String reason) {
        try {
            String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .method(method, text.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            if (!text.isEmpty()) {
                b.header("Content-Type", "application/json");
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            if (reason != null) {
                b.header("X-Audit-Log-Reason", java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return wrap(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response wrap(HttpResponse<String> r) throws IOException {
        JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Response(r.statusCode(), body, r);
    }
}
