package io.templateworker.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJacksonModule;
import io.templateworker.runtime.khronos.KhronosValue;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Reads JSON request bodies with answers a caller can act on. */
public final class JsonBody {

    /**
     * The API's JSON mapper: KhronosValue in its wire format, java.time as RFC 3339, no coercion of scalars (a
     * string is not a number), unknown fields ignored (as upstream's serde structs do), trailing data refused.
     * Buffers come from a shared pool: Jackson's default pool is per thread, and requests run on virtual threads (one
     * per request), so it would allocate fresh buffers for every body read and every answer written.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
                            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newConcurrentDequePool())
                            .build())
            .addModule(new KhronosJacksonModule())
            .addModule(new JavaTimeModule())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private JsonBody() {
    }

    /** The body as {@code type} (a record, list or map type); 400/413/415 when it cannot be. */
    public static <T> T read(Context ctx, Class<T> type) {
        return read(ctx, (Type) type);
    }

    /** The body as {@code type} (e.g. a parameterised list type). */
    public static <T> T read(Context ctx, Type type) {
        byte[] body = bytes(ctx);
        JavaType javaType = MAPPER.getTypeFactory().constructType(type);
        try {
            T value = MAPPER.readValue(body, javaType);
            if (value == null) {
                throw ApiException.badRequest("request body is null: expected " + describe(type));
            }
            return value;
        } catch (ApiException e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            throw ApiException.badRequest(explain(e, type));
        }
    }

    /** The body as a JSON tree (any JSON value). */
    public static JsonNode readTree(Context ctx) {
        byte[] body = bytes(ctx);
        try {
            return MAPPER.readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            throw ApiException.badRequest(explain(e, JsonNode.class));
        }
    }

    /** Refuses a body whose declared media type is not JSON (415). A missing {@code Content-Type} is accepted. */
    public static void checkMediaType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            return;
        }
        String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"))) {
            return;
        }
        throw new ApiException(415, ApiErrorCode.UnsupportedMediaType, "request body must be JSON sent with"
                + " 'Content-Type: application/json', got Content-Type '" + shorten(type, 80) + "'");
    }

    private static byte[] bytes(Context ctx) {
        checkMediaType(ctx);
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw ApiException.badRequest("request body is empty: expected JSON");
        }
        return body;
    }

    /** What went wrong, where, in the caller's terms. */
    static String explain(Throwable e, Type target) {
        // A value our own code refused (a KhronosValue, a record's check) says best what is wrong.
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof KhronosException || cause instanceof IllegalArgumentException) {
                String where = e instanceof JsonMappingException m ? path(m) : "$";
                return "request body at " + where + ": " + (cause instanceof KhronosException
                        ? "not a valid KhronosValue (expected a tagged value such as {\"Text\": \"hi\"}): " : "")
                        + cause.getMessage();
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        if (e instanceof ValueInstantiationException v) {
            return "request body at " + path(v) + ": invalid value";
        }
        if (e instanceof InvalidFormatException f) {
            return "request body at " + path(f) + ": " + shorten(String.valueOf(f.getValue()), 60) + " is not "
                    + describe(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m) {
            String original = m.getOriginalMessage() == null ? "" : m.getOriginalMessage();
            if (original.startsWith("Missing required creator property")) {
                String field = m.getPath().isEmpty() ? "?" : m.getPath().getLast().getFieldName();
                String where = m.getPath().size() <= 1 ? "$" : path(m.getPath().subList(0, m.getPath().size() - 1));
                return "request body at " + where + ": missing required field '" + field + "'";
            }
            if (original.startsWith("Trailing token")) {
                return "request body has more data after the JSON value" + location(m.getLocation());
            }
            Type expected = m.getTargetType() != null ? m.getTargetType() : target;
            String got = token(m);
            return "request body at " + path(m) + ": expected " + describe(expected) + ", got " + got
                    + (got.equals("null") ? " (or the field is missing)" : "");
        }
        if (e instanceof JsonMappingException m) {
            return "request body at " + path(m) + ": invalid value";
        }
        if (e instanceof JsonProcessingException p) {
            String msg = p.getOriginalMessage() == null ? "malformed" : p.getOriginalMessage();
            return "request body is not valid JSON: " + shorten(msg.replace('\n', ' '), 200) + location(p.getLocation());
        }
        return "request body could not be read: expected " + describe(target);
    }

    private static String location(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String token(MismatchedInputException m) {
        // Jackson names the JSON kind it found in its message ("from String value", "(token `START_ARRAY`)").
        String msg = m.getOriginalMessage() == null ? "" : m.getOriginalMessage();
        if (msg.contains("String value") || msg.contains("VALUE_STRING")) {
            return "a string";
        }
        if (msg.contains("Integer value") || msg.contains("VALUE_NUMBER_INT")) {
            return "an integer";
        }
        if (msg.contains("Floating-point value") || msg.contains("VALUE_NUMBER_FLOAT")) {
            return "a number";
        }
        if (msg.contains("Boolean value") || msg.contains("VALUE_TRUE") || msg.contains("VALUE_FALSE")) {
            return "a boolean";
        }
        if (msg.contains("Array value") || msg.contains("START_ARRAY")) {
            return "an array";
        }
        if (msg.contains("Object value") || msg.contains("START_OBJECT")) {
            return "an object";
        }
        if (msg.contains("Null value") || msg.contains("VALUE_NULL") || msg.contains("null")) {
            return "null";
        }
        if (m.getProcessor() instanceof JsonParser p) {
            JsonToken t = p.currentToken();
            if (t != null) {
                return switch (t) {
                    case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                    case START_ARRAY, END_ARRAY -> "an array";
                    case VALUE_STRING -> "a string";
                    case VALUE_NUMBER_INT -> "an integer";
                    case VALUE_NUMBER_FLOAT -> "a number";
                    case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                    case VALUE_NULL -> "null";
                    default -> "something else";
                };
            }
        }
        return "something else";
    }

    private static String path(JsonMappingException m) {
        return path(m.getPath());
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder("$");
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                out.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** A JSON description of a Java type: "a string", "an object with fields a, b", ... */
    public static String describe(Type type) {
        if (!(type instanceof Class<?> c)) {
            String name = type.getTypeName();
            if (name.startsWith("java.util.List") || name.startsWith("java.util.Set")) {
                return "an array";
            }
            if (name.startsWith("java.util.Map")) {
                return "an object";
            }
            return "a JSON value";
        }
        if (c == String.class || c == UUID.class) {
            return c == UUID.class ? "a UUID string" : "a string";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "a boolean";
        }
        if (KhronosValue.class.isAssignableFrom(c)) {
            return "a tagged KhronosValue such as {\"Text\": \"hi\"} or \"Null\"";
        }
        if (c.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object o : c.getEnumConstants()) {
                names.add(String.valueOf(o));
            }
            return "one of " + String.join(", ", names);
        }
        if (c.isArray() || Collection.class.isAssignableFrom(c)) {
            return "an array";
        }
        if (c.isRecord()) {
            List<String> fields = new ArrayList<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                JsonProperty p = rc.getAnnotation(JsonProperty.class);
                if (p == null && rc.getAccessor() != null) {
                    p = rc.getAccessor().getAnnotation(JsonProperty.class);
                }
                fields.add(p != null && !p.value().isEmpty() ? p.value() : rc.getName());
            }
            return "an object with fields " + String.join(", ", fields);
        }
        if (Map.class.isAssignableFrom(c) || JsonNode.class.isAssignableFrom(c)) {
            return c == JsonNode.class ? "JSON" : "an object";
        }
        return "a JSON value";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
