package io.templateworker.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.RouteSpec;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an OpenAPI 3.1 document from route declarations: request and response schemas from the Java types
 * (KhronosValue as its tagged {@code oneOf}), every error answer a route can give with its code, the security
 * scheme for session tokens, and the real media type of non-JSON routes. Runs once per document.
 */
// swagger-core's own API is raw-typed (ModelConverter.resolve returns a raw Schema, items/prefixItems take them)
@SuppressWarnings({"rawtypes", "unchecked"})
public final class OpenApiGenerator {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}|<([^>/]+)>");
    private static final String JSON = "application/json";
    private static final String ERROR = "ApiError";

    private final ModelConverters converters = new ModelConverters(true);
    private final Map<String, Schema> components = new TreeMap<>();
    private final long maxBodyBytes;

    private OpenApiGenerator(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        converters.addConverter(new KhronosValueSchema());
    }

    /**
     * The document for the given routes as JSON.
     *
     * @param title        the document title
     * @param version      the API version shown in the docs
     * @param routes       the routes to describe (undocumented ones are skipped)
     * @param maxBodyBytes the body limit, named in the 413 answers
     */
    public static String generate(String title, String version, List<RouteSpec> routes, long maxBodyBytes) {
        return new OpenApiGenerator(maxBodyBytes).build(title, version, routes);
    }

    /** The document with the default body limit (2 MiB). */
    public static String generate(String title, String version, List<RouteSpec> routes) {
        return generate(title, version, routes, 2L * 1024 * 1024);
    }

    private String build(String title, String version, List<RouteSpec> routes) {
        OpenAPI api = new OpenAPI(SpecVersion.V31).openapi("3.1.0")
                .info(new Info().title(title).version(version).description(description()));
        components.put(ERROR, errorSchema());
        Map<String, PathItem> paths = new TreeMap<>();
        boolean usesUserAuth = false;
        boolean usesInternalAuth = false;
        for (RouteSpec route : routes) {
            if (!route.documented()) {
                continue;
            }
            Operation op = new Operation()
                    .operationId(operationId(route))
                    .summary(route.summary())
                    .description(route.description())
                    .tags(List.of(route.tag()));
            addPathParameters(op, route.path());
            for (RouteSpec.QueryParam q : route.queryParams()) {
                op.addParametersItem(new Parameter().in("query").name(q.name()).required(q.required())
                        .description(q.description()).schema(schemaFor(q.type())));
            }
            if (route.requestBody() != null) {
                op.requestBody(new RequestBody().required(true)
                        .content(new Content().addMediaType(JSON, new MediaType().schema(schemaFor(route.requestBody())))));
            }
            op.responses(responses(route));
            if (route.access() == Access.USER || route.access() == Access.GUILD) {
                op.addSecurityItem(new SecurityRequirement().addList("UserAuth"));
                usesUserAuth = true;
            } else if (route.access() == Access.ROOT) {
                op.addSecurityItem(new SecurityRequirement().addList("InternalAuth"));
                usesInternalAuth = true;
            }
            PathItem item = paths.computeIfAbsent(toOpenApiPath(route.path()), p -> new PathItem());
            item.operation(PathItem.HttpMethod.valueOf(route.method().name()), op);
        }
        io.swagger.v3.oas.models.Paths oasPaths = new io.swagger.v3.oas.models.Paths();
        paths.forEach(oasPaths::addPathItem);
        api.paths(oasPaths);
        Components comps = new Components();
        components.forEach(comps::addSchemas);
        if (usesUserAuth) {
            comps.addSecuritySchemes("UserAuth", apiKey("Session token (128 characters) from POST /oauth2 or POST /sessions,"
                    + " sent raw in the Authorization header with no 'Bearer' prefix. Public but requires authentication."));
        }
        if (usesInternalAuth) {
            comps.addSecuritySchemes("InternalAuth", apiKey("Session token of a user listed in discord_auth.root_users, sent raw"
                    + " in the Authorization header. With api.loopback_root on, requests from this machine without a token"
                    + " act as root."));
        }
        api.components(comps);
        try {
            return Json31.mapper().writeValueAsString(api);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the OpenAPI document: " + e.getMessage(), e);
        }
    }

    private static String description() {
        return "Errors are JSON `{\"message\": \"...\", \"code\": \"...\"}`; `message` says what was wrong and what to do."
                + " Snowflakes (Discord ids) are decimal strings up to 18446744073709551615; timestamps are RFC 3339."
                + " Authenticate with a session token in the `Authorization` header (no `Bearer` prefix): use the"
                + " Authorize button. Public routes are limited to 10 requests per second per user (per address without"
                + " a token); a refused request gets 429 with `Retry-After`.";
    }

    private ApiResponses responses(RouteSpec route) {
        ApiResponses responses = new ApiResponses();
        Content ok = new Content();
        if (JSON.equals(route.mediaType())) {
            ok.addMediaType(JSON, new MediaType().schema(schemaFor(route.response())));
        } else {
            ok.addMediaType(route.mediaType(), new MediaType().schema(new JsonSchema().types(Set.of("string"))));
        }
        responses.addApiResponse("200", new ApiResponse().description("Success").content(ok));
        Map<Integer, List<String>> errors = new TreeMap<>();
        if (route.requestBody() != null) {
            add(errors, 400, "the body is not valid JSON of the documented shape, or a value breaks a rule (the message says which)");
            add(errors, 413, "the body is larger than " + maxBodyBytes + " bytes (api.max_body_bytes)");
            add(errors, 415, "the Content-Type is not application/json");
        }
        if (route.path().contains("_id}")) {
            add(errors, 400, "a path id is not a snowflake (a decimal number from 1 to 18446744073709551615)");
        }
        switch (route.access()) {
            case USER, GUILD, ROOT -> {
                add(errors, 401, "no Authorization header (NoAuthToken), or the token is unknown or expired (InvalidToken)");
                add(errors, 403, "the user is banned (ApiBanned)");
            }
            default -> {
            }
        }
        if (route.access() == Access.ROOT) {
            add(errors, 403, "the user is not in discord_auth.root_users (Restricted)");
        }
        if (route.access() == Access.GUILD) {
            add(errors, 403, "the user may not manage this guild: not its owner, no ADMINISTRATOR or MANAGE_GUILD (Restricted)");
            add(errors, 404, "the bot is not in this guild");
        }
        for (RouteSpec.ErrorDoc e : route.errors()) {
            add(errors, e.status(), e.when());
        }
        if (route.rateLimited()) {
            add(errors, 429, "too many requests (10 per second per user, or per address without a token); see Retry-After");
        }
        add(errors, 500, "an unexpected failure; the message carries an id to find in the server log");
        add(errors, 503, "the server is shutting down or a store it needs is unavailable; retry later");
        Schema errorRef = new JsonSchema().$ref("#/components/schemas/" + ERROR);
        errors.forEach((status, whens) -> {
            ApiResponse r = new ApiResponse().description(String.join("; ", whens))
                    .content(new Content().addMediaType(JSON, new MediaType().schema(errorRef)));
            if (status == 429 || status == 503) {
                r.addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                        .schema(new JsonSchema().types(Set.of("integer"))));
            }
            responses.addApiResponse(Integer.toString(status), r);
        });
        return responses;
    }

    private static void add(Map<Integer, List<String>> errors, int status, String when) {
        errors.computeIfAbsent(status, s -> new ArrayList<>()).add(when);
    }

    private static Schema errorSchema() {
        JsonSchema code = new JsonSchema();
        code.types(Set.of("string"));
        List<String> codes = new ArrayList<>();
        for (ApiErrorCode c : ApiErrorCode.values()) {
            codes.add(c.name());
        }
        code._enum(new ArrayList<>(codes));
        code.description("Machine-readable kind of error; upstream's codes plus MethodNotAllowed, PayloadTooLarge,"
                + " UnsupportedMediaType, RateLimited, UpstreamError, Unavailable and Conflict");
        Map<String, Schema> props = new LinkedHashMap<>();
        props.put("message", new JsonSchema().types(Set.of("string")).description("What was wrong and what to do about it"));
        props.put("code", code);
        JsonSchema s = new JsonSchema();
        s.types(Set.of("object"));
        s.properties(props);
        s.required(List.of("message", "code"));
        s.examples(List.of(Map.of("message", "Whoa there! This endpoint requires authentication to use!", "code", "NoAuthToken")));
        return s;
    }

    private static SecurityScheme apiKey(String description) {
        return new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER)
                .name("Authorization").description(description);
    }

    /** A schema for {@code type}: inline for scalars, a $ref into components for objects. */
    private Schema schemaFor(Type type) {
        if (type == Void.class || type == void.class) {
            return new JsonSchema().types(Set.of("null"));
        }
        ResolvedSchema resolved = converters.readAllAsResolvedSchema(new AnnotatedType(type).resolveAsRef(true));
        if (resolved == null || resolved.schema == null) {
            throw new IllegalArgumentException("cannot derive a JSON schema for " + type.getTypeName());
        }
        if (resolved.referencedSchemas != null) {
            components.putAll(resolved.referencedSchemas);
        }
        return resolved.schema;
    }

    private static void addPathParameters(Operation op, String path) {
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            JsonSchema schema = new JsonSchema();
            schema.types(Set.of("string"));
            String description = null;
            if (name.endsWith("_id") && !name.equals("session_id")) {
                schema.pattern("^[0-9]{1,20}$");
                schema.examples(List.of("1064135068928454766"));
                description = "Discord " + name.substring(0, name.length() - 3).replace('_', ' ') + " id (snowflake)";
            } else if (name.equals("session_id")) {
                schema.format("uuid");
                description = "Session id (from GET /sessions)";
            }
            op.addParametersItem(new Parameter().in("path").name(name).required(true).description(description).schema(schema));
        }
    }

    static String toOpenApiPath(String javalinPath) {
        return PATH_PARAM.matcher(javalinPath).replaceAll(r -> "{" + (r.group(1) != null ? r.group(1) : r.group(2)) + "}");
    }

    private static String operationId(RouteSpec route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        boolean upper = true;
        for (char c : route.path().toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                id.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        return id.toString();
    }
}
