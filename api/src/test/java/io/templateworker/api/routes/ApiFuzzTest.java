package io.templateworker.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.api.RouteSpec;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed requests to every route — methods, paths and path parameters, headers (tokens, media types,
 * oversized values), bodies (valid, random, truncated, deep, large, not UTF-8) — against the whole API. Whatever is
 * sent: never a 5xx, every error a JSON {@code {message, code}}, and nothing written when the request is refused.
 */
class ApiFuzzTest {

    static ApiHarness api;
    static String userToken;
    static String rootToken;
    static List<RouteSpec> routes;

    @BeforeContainer
    static void start() {
        api = new ApiHarness(false, ApiRateLimiter.unlimited(), List.of(InternalAccessTest.GUARDED));
        userToken = api.login("7001");
        rootToken = api.login(ApiHarness.ROOT_USER);
        routes = new ArrayList<>();
        for (RouteSpec r : api.server.routes()) {
            // Killing the pool is meant to make later dispatches fail with 503 until a restart (tested elsewhere).
            if (!r.path().equals("/i/kill-worker")) {
                routes.add(r);
            }
        }
    }

    @AfterContainer
    static void stop() {
        api.close();
    }

    record Request(String method, String path, String token, String contentType, String extraHeader, byte[] body) {
        @Override
        public String toString() {
            return method + " " + path + " token=" + (token == null ? null : token.length() > 20 ? token.substring(0, 20) + "…" : token)
                    + " type=" + contentType + " header=" + (extraHeader == null ? null : extraHeader.length() > 40
                    ? extraHeader.substring(0, 40) + "…" : extraHeader) + " body=" + (body == null ? null
                    : new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1));
        }
    }

    record Response(int status, String head, byte[] body) {
    }

    @Property(tries = 400, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void any_request_gets_a_sound_answer(@ForAll("requests") Request request) throws Exception {
        String before = fingerprint();
        Response response = send(request);
        assertThat(response.status()).as("%s%n-> %s", request, response.head()).isBetween(100, 499);
        if (response.status() >= 400) {
            assertThat(response.head().toLowerCase(Locale.ROOT)).as("%s", request).contains("content-type: application/json");
            if (!request.method().equals("HEAD")) {
                JsonNode error = ApiHarness.JSON.readTree(response.body());
                assertThat(error.path("message").isTextual()).as("%s -> %s", request, error).isTrue();
                assertThat(error.path("code").isTextual()).as("%s -> %s", request, error).isTrue();
                assertThat(error.path("message").asText()).doesNotContain("com.fasterxml").doesNotContain("java.lang")
                        .doesNotContain("Exception");
            }
            assertThat(fingerprint()).as("nothing written by the refused %s", request).isEqualTo(before);
        }
    }

    // ----- generators -----

    @Provide
    Arbitrary<Request> requests() {
        return Combinators.combine(methods(), paths(), tokens(), contentTypes(), extraHeaders(), bodies())
                .as(Request::new);
    }

    Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("GET", "POST")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("TRACE", "CONNECT", "FOO", "get", "P0ST")));
    }

    Arbitrary<String> paths() {
        Arbitrary<String> fromRoutes = Arbitraries.of(routes).flatMap(r -> fill(r.path()));
        Arbitrary<String> junk = Arbitraries.of("/", "/nothing", "//sessions", "/sessions/", "/i/", "/guilds//events",
                "/%", "/%zz", "/a%00b", "/%2e%2e/i/threads-count", "/sessions/%2F", "/docs/assets/../../pom.xml",
                "/docs/assets/%2e%2e", "/\u00e9t\u00e9", "/" + "a".repeat(5000), "/sessions?x=%ff", "/global-kvs?scope=%");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, fromRoutes), net.jqwik.api.Tuple.of(2, junk));
    }

    /** A route path with its parameters filled by valid or hostile values, plus maybe a query string. */
    Arbitrary<String> fill(String template) {
        Arbitrary<String> param = Arbitraries.oneOf(
                Arbitraries.of(Long.toString(ApiHarness.GUILD), Long.toString(ApiHarness.OTHER_GUILD), "18446744073709551615",
                        "18446744073709551616", "0", "-1", "1e5", "abc", "%20", "%ff", "%C3%A9", "..", "%2e%2e", "00000000001",
                        "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "templates", "open", "1"),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(25),
                Arbitraries.strings().alpha().numeric().withChars('-', '_', '.').ofMinLength(1).ofMaxLength(40));
        Arbitrary<String> query = Arbitraries.of("", "", "", "?refresh=true", "?scope=templates", "?scope=templates&query=%25",
                "?scope=" + "x".repeat(600), "?query=_", "?%zz=1", "?scope");
        int params = (int) template.chars().filter(c -> c == '{').count();
        Arbitrary<List<String>> values = param.list().ofSize(params);
        return Combinators.combine(values, query).as((vals, q) -> {
            StringBuilder out = new StringBuilder();
            int v = 0;
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                if (c == '{') {
                    out.append(vals.get(v++));
                    i = template.indexOf('}', i);
                } else {
                    out.append(c);
                }
            }
            return out + q;
        });
    }

    Arbitrary<String> tokens() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("user", "root").map(k -> k.equals("user") ? userToken : rootToken)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ascii().ofMinLength(0).ofMaxLength(200)
                        .map(s -> s.replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", "x"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("Bearer x", "x".repeat(128), "\u00e9t\u00e9")));
    }

    Arbitrary<String> contentTypes() {
        return Arbitraries.of(null, "application/json", "application/json", "application/json; charset=utf-8",
                "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/vnd.x+json",
                "garbage", "");
    }

    Arbitrary<String> extraHeaders() {
        return Arbitraries.of(null, null, null, "X-Forwarded-For: 203.0.113.7", "Accept: text/html", "Origin: https://x.example",
                "Content-Encoding: gzip", "X-Big: " + "a".repeat(20_000), "Expect: 100-continue", "Transfer-Encoding: identity");
    }

    Arbitrary<byte[]> bodies() {
        Arbitrary<String> valid = Arbitraries.of(
                "{\"name\": \"WebPing\", \"data\": {\"Text\": \"hi\"}}", "{\"name\": \"WebPing\"}", "{\"name\": \"Other\"}",
                "{\"name\": \"ci\", \"type\": \"api\", \"expiry\": 60}", "{\"code\": \"abcdef\", \"redirect_uri\": \"https://x\"}",
                "{\"user_id\": \"5\"}", "{\"setting\": \"greeting\", \"operation\": \"View\", \"fields\": {}}",
                "{\"content\": {\"init.luau\": \"return {}\"}, \"events\": [\"WebPing\"]}",
                "{\"content\": {\"init.luau\": \"return {\"}}", "{\"content\": {}, \"events\": [1]}",
                "[\"" + ApiHarness.GUILD + "\", 1]", "[]", "{}", "null", "\"Null\"", "{\"name\": \"WebPing\", \"data\": "
                        + "{\"List\": [{\"List\": [{\"List\": [{\"List\": [{\"List\": [{\"List\": [{\"List\": [{\"List\": "
                        + "[{\"List\": [{\"List\": [{\"List\": [{\"List\": []}]}]}]}]}]}]}]}]}]}]}}");
        Arbitrary<String> broken = Arbitraries.of("{", "{\"name\":", "{\"name\": \"WebPing\",}", "[1,", "nul", "{\"a\": 1} x",
                "{\"name\": \"\\ud800\"}", "{\"name\": 1e999}", "[".repeat(5000) + "]".repeat(5000),
                "{\"name\": \"" + "x".repeat(3_000_000) + "\"}");
        Arbitrary<String> random = Arbitraries.strings().ofMaxLength(300);
        Arbitrary<byte[]> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(4, valid.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(2, broken.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(2, random.map(s -> s.getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, binary));
    }

    // ----- plumbing -----

    /** Row counts and the latest change of every table a request could write. */
    static String fingerprint() throws Exception {
        try (Connection c = api.db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from users), (select count(*) from web_api_tokens),"
                     + " (select count(*) from oauth2_used_codes), (select count(*) from global_kv),"
                     + " (select coalesce(max(updated_at)::text, '') from users), (select count(*) from templates),"
                     + " (select coalesce(max(last_updated_at)::text, '') from templates)")) {
            rs.next();
            StringBuilder out = new StringBuilder();
            for (int i = 1; i <= 7; i++) {
                out.append(rs.getString(i)).append('/');
            }
            return out.toString();
        }
    }

    static Response send(Request r) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.server.port())) {
            s.setSoTimeout(60_000);
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            String path = r.path().isEmpty() ? "/" : r.path();
            StringBuilder head = new StringBuilder(r.method() + " " + path.replace(" ", "%20") + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n");
            if (r.token() != null) {
                head.append("Authorization: ").append(r.token()).append("\r\n");
            }
            if (r.contentType() != null) {
                head.append("Content-Type: ").append(r.contentType()).append("\r\n");
            }
            if (r.extraHeader() != null) {
                head.append(r.extraHeader()).append("\r\n");
            }
            if (r.body() != null) {
                head.append("Content-Length: ").append(r.body().length).append("\r\n");
            }
            head.append("\r\n");
            req.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (r.body() != null) {
                req.write(r.body());
            }
            OutputStream out = s.getOutputStream();
            try {
                out.write(req.toByteArray());
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading a large body; its answer is still there to read.
            }
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new IOException("no complete answer to " + r + ": " + text);
            }
            String responseHead = text.substring(0, split);
            byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            if (responseHead.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Response(Integer.parseInt(responseHead.substring(9, 12)), responseHead, body);
        }
    }

    static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(body, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            int size = Integer.parseInt(s.substring(i, eol).trim().split(";")[0], 16);
            if (size == 0) {
                break;
            }
            out.write(body, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
