package io.templateworker.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI documents describe every route completely. */
class OpenApiDocumentTest {

    static ApiHarness api;
    static JsonNode pub;
    static JsonNode internal;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(false, ApiRateLimiter.unlimited(), List.of(InternalAccessTest.GUARDED));
        pub = ApiHarness.json(api.send("GET", "/openapi", null, null));
        internal = ApiHarness.json(api.send("GET", "/i/openapi", null, null));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static List<JsonNode> operations(JsonNode doc) {
        List<JsonNode> ops = new ArrayList<>();
        for (Iterator<JsonNode> paths = doc.path("paths").elements(); paths.hasNext(); ) {
            for (Iterator<JsonNode> methods = paths.next().elements(); methods.hasNext(); ) {
                ops.add(methods.next());
            }
        }
        return ops;
    }

    @Test
    void every_declared_route_is_in_one_of_the_documents() {
        for (var route : api.server.routes()) {
            if (!route.documented()) {
                continue;
            }
            JsonNode doc = route.access() == io.templateworker.api.Access.ROOT ? internal : pub;
            String path = route.path();
            assertThat(doc.path("paths").path(path).has(route.method().name().toLowerCase()))
                    .as(route.method() + " " + path).isTrue();
        }
        assertThat(pub.path("paths").has("/i/dispatch-event/{guild_id}")).isFalse();
    }

    @Test
    void every_operation_has_a_summary_a_success_schema_and_error_answers() {
        List<JsonNode> all = new ArrayList<>(operations(pub));
        all.addAll(operations(internal));
        assertThat(all).hasSizeGreaterThan(20);
        for (JsonNode op : all) {
            String id = op.path("operationId").asText();
            assertThat(op.path("summary").asText()).as(id).isNotBlank();
            JsonNode ok = op.path("responses").path("200").path("content");
            assertThat(ok.size()).as(id + " 200 content").isEqualTo(1);
            assertThat(ok.elements().next().has("schema")).as(id).isTrue();
            assertThat(op.path("responses").has("500")).as(id).isTrue();
            assertThat(op.path("responses").path("500").path("content").path("application/json").path("schema").path("$ref")
                    .asText()).endsWith("/ApiError");
        }
    }

    @Test
    void authenticated_routes_document_their_security_and_failures() {
        JsonNode me = pub.path("paths").path("/sessions/@me").path("get");
        assertThat(me.path("security").get(0).has("UserAuth")).isTrue();
        assertThat(me.path("responses").has("401")).isTrue();
        assertThat(me.path("responses").path("403").path("description").asText()).contains("ApiBanned");
        assertThat(me.path("responses").path("429").path("headers").has("Retry-After")).isTrue();
        JsonNode guarded = pub.path("paths").path("/guilds/{guild_id}/things").path("get");
        assertThat(guarded.path("responses").path("403").path("description").asText()).contains("MANAGE_GUILD");
        assertThat(guarded.path("parameters").get(0).path("schema").path("pattern").asText()).isEqualTo("^[0-9]{1,20}$");
        JsonNode body = pub.path("paths").path("/sessions").path("post").path("responses");
        assertThat(body.has("400")).isTrue();
        assertThat(body.has("413")).isTrue();
        assertThat(body.has("415")).isTrue();
        JsonNode scheme = pub.path("components").path("securitySchemes").path("UserAuth");
        assertThat(scheme.path("type").asText()).isEqualTo("apiKey");
        assertThat(scheme.path("in").asText()).isEqualTo("header");
        assertThat(scheme.path("name").asText()).isEqualTo("Authorization");
        JsonNode root = internal.path("paths").path("/i/threads-count").path("get");
        assertThat(root.path("security").get(0).has("InternalAuth")).isTrue();
        assertThat(internal.path("components").path("securitySchemes").has("InternalAuth")).isTrue();
    }

    @Test
    void khronos_value_is_a_one_of_of_its_tagged_variants_with_examples() {
        JsonNode k = pub.path("components").path("schemas").path("KhronosValue");
        assertThat(k.path("oneOf")).hasSize(14);
        List<String> titles = new ArrayList<>();
        for (JsonNode variant : k.path("oneOf")) {
            titles.add(variant.path("title").asText());
            assertThat(variant.path("examples")).as(variant.path("title").asText()).isNotEmpty();
        }
        assertThat(titles).containsExactly("Text", "Integer", "UnsignedInteger", "Float", "Boolean", "Buffer", "Vector", "Map",
                "List", "Timestamptz", "Interval", "TimeZone", "LazyStringMap", "Null");
        JsonNode events = pub.path("paths").path("/guilds/{guild_id}/events").path("post");
        assertThat(events.path("responses").path("200").path("content").path("application/json").path("schema").path("$ref")
                .asText()).endsWith("/KhronosValue");
        String requestRef = events.path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText();
        JsonNode request = pub.path("components").path("schemas").path(requestRef.substring(requestRef.lastIndexOf('/') + 1));
        assertThat(request.path("properties").path("data").path("$ref").asText()).endsWith("/KhronosValue");
        assertThat(request.path("required").toString()).contains("name");
    }

    @Test
    void non_json_routes_have_their_real_media_types() {
        assertThat(pub.path("paths").path("/metrics").path("get").path("responses").path("200").path("content")
                .fieldNames().next()).startsWith("text/plain");
        assertThat(pub.path("paths").path("/docs").path("get").path("responses").path("200").path("content")
                .fieldNames().next()).isEqualTo("text/html");
        assertThat(pub.path("paths").path("/healthcheck").path("get").path("responses").has("503")).isTrue();
    }

    @Test
    void the_error_schema_lists_every_code() {
        JsonNode codes = pub.path("components").path("schemas").path("ApiError").path("properties").path("code").path("enum");
        assertThat(codes.toString()).contains("NoAuthToken", "ApiBanned", "MethodNotAllowed", "PayloadTooLarge", "RateLimited");
    }

    @Test
    void swagger_ui_keeps_the_token_given_to_authorize() throws Exception {
        assertThat(api.send("GET", "/docs", null, null).body()).contains("persistAuthorization: true");
    }
}
