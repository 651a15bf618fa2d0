package io.templateworker.api.discord;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.api.dto.Sessions.PartialUser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Discord's OAuth2 endpoints under {@code {base}/api/v10} ({@code meta.proxy}, or the mock Discord in local mode).
 * Failures are {@link DiscordOAuthException}s that say whether Discord refused the request (the caller's code was
 * bad) or could not be reached.
 */
public final class DiscordOAuth {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String apiBase;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;

    /**
     * @param apiBase      e.g. {@code http://localhost:3221/api/v10} (no trailing slash)
     * @param clientId     the OAuth2 client id (upstream: the bot's user id)
     * @param clientSecret the OAuth2 client secret
     */
    public DiscordOAuth(String apiBase, String clientId, String clientSecret) {
        this.apiBase = stripSlash(Objects.requireNonNull(apiBase, "apiBase"));
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** {@code base} from {@code meta.proxy} style URLs: {@code http://host:port} becomes {@code http://host:port/api/v10}. */
    public static String apiBaseOf(String proxyOrApiBase) {
        String b = stripSlash(proxyOrApiBase);
        return b.endsWith("/api/v10") ? b : b + "/api/v10";
    }

    /** The token endpoint's answer. */
    public record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                                @JsonProperty("expires_in") Long expiresIn, @JsonProperty("refresh_token") String refreshToken,
                                String scope) {

        /** The granted scopes: upstream splits on spaces after turning {@code %20} into a space. */
        public List<String> scopes() {
            if (scope == null || scope.isBlank()) {
                return List.of();
            }
            return List.of(scope.replace("%20", " ").trim().split("\\s+"));
        }
    }

    /** One of the user's guilds, as {@code GET /users/@me/guilds} returns it. */
    public record UserGuild(String id, String name, String icon, boolean owner, String permissions) {
    }

    /** Exchanges an authorization code (step 5 of UPSTREAM.md §4.4). */
    public TokenResponse exchangeCode(String code, String redirectUri, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId == null ? "" : clientId);
        form.put("client_secret", clientSecret == null ? "" : clientSecret);
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (codeVerifier != null) {
            form.put("code_verifier", codeVerifier);
        }
        return token(form);
    }

    /** Gets a new access token with a refresh token. */
    public TokenResponse refresh(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId == null ? "" : clientId);
        form.put("client_secret", clientSecret == null ? "" : clientSecret);
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return token(form);
    }

    private TokenResponse token(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/oauth2/token")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        JsonNode answer = send(request, "exchanging the OAuth2 code");
        try {
            TokenResponse token = JSON.treeToValue(answer, TokenResponse.class);
            if (token.accessToken() == null || token.accessToken().isEmpty()) {
                throw new DiscordOAuthException(false, 502, "Discord's token answer has no access_token");
            }
            return token;
        } catch (IOException e) {
            throw new DiscordOAuthException(false, 502, "Discord's token answer is not the expected JSON");
        }
    }

    /** The user an access token belongs to (step 7). */
    public PartialUser currentUser(String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/users/@me")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + accessToken).GET().build();
        JsonNode answer = send(request, "reading the Discord user");
        try {
            PartialUser user = JSON.treeToValue(answer, PartialUser.class);
            if (user.id() == null) {
                throw new DiscordOAuthException(false, 502, "Discord's user answer has no id");
            }
            return user;
        } catch (IOException e) {
            throw new DiscordOAuthException(false, 502, "Discord's user answer is not the expected JSON");
        }
    }

    /** The guilds of the user an access token belongs to. */
    public List<UserGuild> currentUserGuilds(String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/users/@me/guilds")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + accessToken).GET().build();
        JsonNode answer = send(request, "reading the user's Discord guilds");
        try {
            return List.of(JSON.treeToValue(answer, UserGuild[].class));
        } catch (IOException e) {
            throw new DiscordOAuthException(false, 502, "Discord's guild list is not the expected JSON");
        }
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DiscordOAuthException(false, 502, what + " failed: Discord could not be reached at " + apiBase
                    + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscordOAuthException(false, 503, what + " was interrupted");
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String detail = errorDetail(response.body());
            if (detail != null && detail.startsWith("invalid_client")) {
                // Our credentials, not the caller's code: a server configuration problem.
                throw new DiscordOAuthException(false, 502, what + ": Discord refused this server's OAuth2 client ("
                        + detail + "); check discord_auth.client_id and client_secret");
            }
            boolean refused = status == 400 || status == 401 || status == 403;
            throw new DiscordOAuthException(refused, status, what + ": Discord answered " + status + (detail == null ? "" : " (" + detail + ")"));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DiscordOAuthException(false, 502, what + ": Discord's answer is not JSON");
        }
    }

    /** Discord's OAuth2 errors are {@code {error, error_description}}; REST errors {@code {message, code}}. */
    private static String errorDetail(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n.hasNonNull("error")) {
                return n.get("error").asText() + (n.hasNonNull("error_description") ? ": " + n.get("error_description").asText() : "");
            }
            if (n.hasNonNull("message")) {
                return n.get("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: no detail
        }
        return null;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * A Discord call failed.
     *
     * @param refused true when Discord refused the request (bad or reused code, revoked token): the caller's fault
     * @param status  Discord's HTTP status, or 502/503 when it could not be reached
     */
    public static final class DiscordOAuthException extends RuntimeException {
        private final boolean refused;
        private final int status;

        public DiscordOAuthException(boolean refused, int status, String message) {
            super(message, null, false, false);
            this.refused = refused;
            this.status = status;
        }

        public boolean refused() {
            return refused;
        }

        public int status() {
            return status;
        }
    }
}
