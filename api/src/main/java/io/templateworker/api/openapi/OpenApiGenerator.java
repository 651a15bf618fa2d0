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
import io.templateworker.api.ApiError;
import io.templateworker.api.RouteSpec;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds an OpenAPI 3.1 document from route declarations. Runs once per document, at server start. */
public final class OpenApiGenerator {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}|<([^>/]+)>");
    private static final String JSON = "application/json";

    private final ModelConverters converters = new ModelConverters(true);
    private final Map<String, Schema> components = new TreeMap<>();

    private OpenApiGenerator() {
    }

    /**
     * The document for the given routes as JSON.
     *
     * @param title   the document title
     * @param version the API version shown in the docs
     * @param routes  the routes to describe (undocumented ones are skipped)
     */
    public static String generate(String title, String version, List<RouteSpec> routes) {
        return new OpenApiGenerator().build(title, version, routes);
    }

    private String build(String title, String version, List<RouteSpec> routes) {
        OpenAPI api = new OpenAPI(SpecVersion.V31).openapi("3.1.0")
                .info(new Info().title(title).version(version));
        Map<String, PathItem> paths = new TreeMap<>();
        boolean usesUserAuth = false;
        boolean usesInternalAuth = false;
        Schema errorRef = schemaFor(ApiError.class);
        for (RouteSpec route : routes) {
            if (!route.documented()) {
                continue;
            }
            String openApiPath = toOpenApiPath(route.path());
            Operation op = new Operation()
                    .operationId(operationId(route))
                    .summary(route.summary())
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
            ApiResponses responses = new ApiResponses()
                    .addApiResponse("200", new ApiResponse().description("Success")
                            .content(new Content().addMediaType(JSON, new MediaType().schema(schemaFor(route.response())))))
                    .addApiResponse("default", new ApiResponse().description("Error: {message, code}")
                            .content(new Content().addMediaType(JSON, new MediaType().schema(errorRef))));
            op.responses(responses);
            if (route.access() == Access.USER) {
                op.addSecurityItem(new SecurityRequirement().addList("UserAuth"));
                usesUserAuth = true;
            } else if (route.access() == Access.ROOT) {
                op.addSecurityItem(new SecurityRequirement().addList("InternalAuth"));
                usesInternalAuth = true;
            }
            PathItem item = paths.computeIfAbsent(openApiPath, p -> new PathItem());
            item.operation(PathItem.HttpMethod.valueOf(route.method().name()), op);
        }
        io.swagger.v3.oas.models.Paths oasPaths = new io.swagger.v3.oas.models.Paths();
        paths.forEach(oasPaths::addPathItem);
        api.paths(oasPaths);
        Components comps = new Components();
        components.forEach(comps::addSchemas);
        if (usesUserAuth) {
            comps.addSecuritySchemes("UserAuth", apiKey("API token; public but requires authentication"));
        }
        if (usesInternalAuth) {
            comps.addSecuritySchemes("InternalAuth", apiKey("API token of a user with root access"));
        }
        api.components(comps);
        try {
            return Json31.mapper().writeValueAsString(api);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the OpenAPI document: " + e.getMessage(), e);
        }
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
            op.addParametersItem(new Parameter().in("path").name(name).required(true)
                    .schema(new JsonSchema().types(Set.of("string"))));
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
