package io.templateworker.runtime.discord;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One call to Discord's REST API: the route as Discord documents it ({@code /channels/{channel_id}/messages}), the
 * values of its placeholders in order, an optional query string and JSON body, and the audit-log reason. The route
 * template is what rate-limit buckets are keyed on, so it is kept apart from the values.
 *
 * @param method  HTTP method in upper case
 * @param route   the route template, placeholders in braces
 * @param args    one value per placeholder, in order
 * @param query   query string without {@code ?}, or null
 * @param body    JSON body, or null
 * @param reason  audit-log reason ({@code X-Audit-Log-Reason}), or null
 * @param botAuth false for routes authenticated by a token in the path (webhooks, interactions)
 */
public record DiscordRequest(String method, String route, List<String> args, String query, String body, String reason,
                             boolean botAuth) {

    public DiscordRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(route, "route");
        method = method.toUpperCase(Locale.ROOT);
        args = List.copyOf(args);
        int placeholders = placeholders(route);
        if (placeholders != args.size()) {
            throw new IllegalArgumentException("route " + route + " has " + placeholders + " placeholder(s), got " + args.size()
                    + " value(s)");
        }
    }

    public static DiscordRequest of(String method, String route, Object... args) {
        return new DiscordRequest(method, route, strings(args), null, null, null, true);
    }

    public static DiscordRequest get(String route, Object... args) {
        return of("GET", route, args);
    }

    public static DiscordRequest post(String route, String body, Object... args) {
        return of("POST", route, args).withBody(body);
    }

    public DiscordRequest withBody(String json) {
        return new DiscordRequest(method, route, args, query, json, reason, botAuth);
    }

    public DiscordRequest withQuery(String q) {
        return new DiscordRequest(method, route, args, q, body, reason, botAuth);
    }

    public DiscordRequest withReason(String r) {
        return new DiscordRequest(method, route, args, query, body, r, botAuth);
    }

    /** For webhook-token and interaction routes: no {@code Authorization} header. */
    public DiscordRequest withoutBotAuth() {
        return new DiscordRequest(method, route, args, query, body, reason, false);
    }

    /** The path with every placeholder replaced by its URL-encoded value, plus the query string. */
    public String path() {
        StringBuilder out = new StringBuilder(route.length() + 32);
        int arg = 0;
        for (int i = 0; i < route.length(); i++) {
            char c = route.charAt(i);
            if (c == '{') {
                int end = route.indexOf('}', i);
                out.append(URLEncoder.encode(args.get(arg++), StandardCharsets.UTF_8).replace("+", "%20"));
                i = end;
            } else {
                out.append(c);
            }
        }
        if (query != null && !query.isEmpty()) {
            out.append('?').append(query);
        }
        return out.toString();
    }

    /** The value of a named placeholder, or null when the route has none of that name. */
    public String arg(String name) {
        int arg = 0;
        for (int i = 0; i < route.length(); i++) {
            if (route.charAt(i) == '{') {
                int end = route.indexOf('}', i);
                if (route.regionMatches(i + 1, name, 0, name.length()) && end == i + 1 + name.length()) {
                    return args.get(arg);
                }
                arg++;
                i = end;
            }
        }
        return null;
    }

    /** GET, HEAD, PUT and DELETE may be sent twice safely (retried after a network error or a 5xx). */
    public boolean idempotent() {
        return method.equals("GET") || method.equals("HEAD") || method.equals("PUT") || method.equals("DELETE");
    }

    private static int placeholders(String route) {
        int n = 0;
        for (int i = 0; i < route.length(); i++) {
            if (route.charAt(i) == '{') {
                n++;
            }
        }
        return n;
    }

    private static List<String> strings(Object[] args) {
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i] instanceof Long l ? Long.toUnsignedString(l) : String.valueOf(args[i]);
        }
        return List.of(out);
    }
}
