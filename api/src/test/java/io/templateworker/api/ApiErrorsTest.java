package io.templateworker.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.templateworker.api.json.JsonBody;
import io.templateworker.runtime.khronos.KhronosValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every answer the server gives on its own (not a handler's) is a JSON error with the right status and code. */
class ApiErrorsTest {

    record Item(@com.fasterxml.jackson.annotation.JsonProperty(required = true) String name, Integer count,
                List<String> tags, KhronosValue data) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger WRITES = new AtomicInteger();
    static ApiServer server;

    @BeforeAll
    static void start() {
        RouteGroup routes = r -> {
            r.post("/items").summary("Creates an item").request(Item.class).response(Item.class).handle(ctx -> {
                Item item = JsonBody.read(ctx, Item.class);
                WRITES.incrementAndGet();
                ctx.json(item);
            });
            r.get("/items/{item_id}").summary("Reads an item").response(String.class)
                    .handle(ctx -> ctx.json(Long.toUnsignedString(Snowflakes.parse(ctx.pathParam("item_id"), "path parameter item_id"))));
        };
        server = new ApiServer(new ApiServer.Options("127.0.0.1", 0, "test", Duration.ofSeconds(5)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiPolicy.loopbackOnly().withMaxBodyBytes(1024),
                List.of(routes)).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** A raw HTTP/1.1 exchange, so that requests a normal client would refuse to send can be sent. */
    static Raw raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            int split = all.indexOf("\r\n\r\n");
            return new Raw(status, all.substring(0, split), all.substring(split + 4));
        }
    }

    record Raw(int status, String head, String body) {
        JsonNode json() throws IOException {
            String b = body;
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                b = b.substring(b.indexOf("\r\n") + 2, b.lastIndexOf("\r\n0\r\n"));
            }
            return JSON.readTree(b);
        }
    }

    static Raw send(String method, String path, String contentType, String body) throws IOException {
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (contentType != null) {
            req.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            req.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        req.append("\r\n");
        if (body != null) {
            req.append(body);
        }
        return raw(req.toString());
    }

    static void assertError(Raw r, int status, String code, String messagePart) throws IOException {
        assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
        assertThat(r.head().toLowerCase()).contains("content-type: application/json");
        JsonNode body = r.json();
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).contains(messagePart)
                .doesNotContain("com.fasterxml").doesNotContain("java.").doesNotContain("Source:").doesNotContain("`");
    }

    @Test
    void a_wrong_method_is_405_with_the_allowed_methods() throws Exception {
        Raw r = send("GET", "/items", null, null);
        assertError(r, 405, "MethodNotAllowed", "GET is not allowed on /items");
        assertThat(r.head()).containsIgnoringCase("Allow: POST");
        assertError(send("DELETE", "/items/5", null, null), 405, "MethodNotAllowed", "allowed: GET");
    }

    @Test
    void an_unknown_path_is_404() throws Exception {
        assertError(send("GET", "/nothing/here", null, null), 404, "NotFound", "Not Found");
    }

    @Test
    void a_body_over_the_limit_is_413_naming_the_limit() throws Exception {
        int before = WRITES.get();
        String big = "{\"name\": \"" + "x".repeat(2000) + "\"}";
        assertError(send("POST", "/items", "application/json", big), 413, "PayloadTooLarge", "1024 bytes (api.max_body_bytes)");
        // Chunked: no Content-Length, refused while it is read.
        String chunk = Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
        Raw chunked = raw("POST /items HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunk);
        assertError(chunked, 413, "PayloadTooLarge", "1024 bytes");
        assertThat(WRITES.get()).isEqualTo(before);
    }

    @Test
    void a_body_that_is_not_json_is_415_or_400() throws Exception {
        assertError(send("POST", "/items", "text/plain", "{\"name\": \"a\"}"), 415, "UnsupportedMediaType", "Content-Type: application/json");
        assertError(send("POST", "/items", "application/x-www-form-urlencoded", "name=a"), 415, "UnsupportedMediaType", "x-www-form");
        assertError(send("POST", "/items", "application/json", "name=a"), 400, "BadRequest", "not valid JSON");
        assertError(send("POST", "/items", "application/json", ""), 400, "BadRequest", "empty");
    }

    @Test
    void a_malformed_body_says_what_and_where_without_library_internals() throws Exception {
        assertError(send("POST", "/items", "application/json", "{\"name\": \"a\", \"count\": \"3\"}"), 400, "BadRequest",
                "$.count: expected an integer, got a string");
        assertError(send("POST", "/items", "application/json", "{\"name\": \"a\", \"count\": 1, \"tags\": [\"x\", 2]}"), 400, "BadRequest",
                "$.tags[1]: 2 is not a string");
        assertError(send("POST", "/items", "application/json", "{\"count\": 1}"), 400, "BadRequest", "missing required field 'name'");
        assertError(send("POST", "/items", "application/json", "{\"name\": \"a\", \"data\": {\"Nope\": 1}}"), 400, "BadRequest",
                "$.data: not a valid KhronosValue");
        assertError(send("POST", "/items", "application/json", "{\"name\": \"a\",}"), 400, "BadRequest", "line 1, column");
        assertError(send("POST", "/items", "application/json", "{\"name\": \"a\"} {}"), 400, "BadRequest", "more data after");
        assertError(send("POST", "/items", "application/json", "[1, 2]"), 400, "BadRequest", "expected an object with fields name, count");
        assertError(send("POST", "/items", "application/json", "null"), 400, "BadRequest", "null");
        Raw ok = send("POST", "/items", "application/json; charset=utf-8", "{\"name\": \"a\", \"count\": 2, \"unknown\": true}");
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void snowflakes_go_up_to_2_pow_64_minus_1() throws Exception {
        Raw max = send("GET", "/items/18446744073709551615", null, null);
        assertThat(max.status()).isEqualTo(200);
        assertThat(max.json().asText()).isEqualTo("18446744073709551615");
        assertError(send("GET", "/items/18446744073709551616", null, null), 400, "BadRequest", "item_id must be a Discord id");
        assertError(send("GET", "/items/0", null, null), 400, "BadRequest", "from 1 to 18446744073709551615");
        assertError(send("GET", "/items/-1", null, null), 400, "BadRequest", "item_id");
        assertError(send("GET", "/items/12abc", null, null), 400, "BadRequest", "12abc");
    }

    @Test
    void requests_jetty_refuses_before_routing_get_json_errors() throws Exception {
        assertError(send("GET", "/items/%2e%2e/items", null, null), 400, "BadRequest", "'.' or '..' segments");
        assertError(send("GET", "/a/../items/5", null, null), 400, "BadRequest", "'..' is not allowed");
        assertError(send("GET", "/items/.%2E/5", null, null), 400, "BadRequest", "'.%2E' is not allowed");
        assertError(send("GET", "/items/%2f5", null, null), 400, "BadRequest", "encoded '/'");
        assertError(send("GET", "/items/%zz", null, null), 400, "BadRequest", "before routing");
        assertError(send("GET", "/items/a%00b", null, null), 400, "BadRequest", "before routing");
        assertError(raw("GET /items/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                431, "BadRequest", "headers are too large");
        assertError(raw("GET /items/" + "1".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                414, "BadRequest", "too long");
    }
}
