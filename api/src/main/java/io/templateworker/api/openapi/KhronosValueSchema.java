package io.templateworker.api.openapi;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.templateworker.runtime.khronos.KhronosValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema of {@link KhronosValue}'s wire format (UPSTREAM.md §7.5): a {@code oneOf} of its 14 externally tagged
 * variants, each with an example. Installed as a swagger-core converter so that any route type or record field of
 * type KhronosValue refers to {@code #/components/schemas/KhronosValue}.
 */
// swagger-core's own API is raw-typed (ModelConverter.resolve returns a raw Schema, items/prefixItems take them)
@SuppressWarnings({"rawtypes", "unchecked"})
final class KhronosValueSchema implements ModelConverter {

    static final String NAME = "KhronosValue";
    private static final String REF = "#/components/schemas/" + NAME;

    @Override
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        JavaType javaType = Json31.mapper().constructType(type.getType());
        if (javaType != null && KhronosValue.class.isAssignableFrom(javaType.getRawClass())) {
            if (context.getDefinedModels().get(NAME) == null) {
                context.defineModel(NAME, schema());
            }
            return new JsonSchema().$ref(REF);
        }
        return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    }

    @Override
    public boolean isOpenapi31() {
        return true;
    }

    /** The component schema. */
    static Schema schema() {
        List<Schema> variants = new ArrayList<>();
        variants.add(tagged("Text", "a string", type("string"), "hello"));
        variants.add(tagged("Integer", "a signed 64-bit integer", type("integer").format("int64"), 5));
        variants.add(tagged("UnsignedInteger", "an unsigned 64-bit integer (0 to 18446744073709551615)",
                type("integer").minimum(BigDecimal.ZERO).maximum(new BigDecimal("18446744073709551615")),
                new java.math.BigInteger("18446744073709551615")));
        variants.add(tagged("Float", "a 64-bit float; \"NaN\", \"Infinity\" and \"-Infinity\" for non-finite values",
                new JsonSchema().oneOf(List.of(type("number"), type("string")._enum(List.of("NaN", "Infinity", "-Infinity")))), 1.5));
        variants.add(tagged("Boolean", "a boolean", type("boolean"), true));
        variants.add(tagged("Buffer", "bytes, as an array of numbers 0-255",
                type("array").items(type("integer").minimum(BigDecimal.ZERO).maximum(BigDecimal.valueOf(255))), List.of(104, 105)));
        variants.add(tagged("Vector", "three 32-bit floats x, y, z",
                type("array").items(type("number")).minItems(3).maxItems(3), List.of(1.0, 2.0, 3.0)));
        variants.add(tagged("Map", "a table as [key, value] pairs of KhronosValues, in order",
                type("array").items(type("array").prefixItems(List.of(ref(), ref())).minItems(2).maxItems(2)),
                List.of(List.of(Map.of("Text", "count"), Map.of("Integer", 3)))));
        variants.add(tagged("List", "a sequence of KhronosValues", type("array").items(ref()),
                List.of(Map.of("Text", "a"), Map.of("Boolean", false))));
        variants.add(tagged("Timestamptz", "an instant, RFC 3339 in UTC", type("string").format("date-time"),
                "2026-02-27T12:00:00Z"));
        variants.add(tagged("Interval", "a duration as [seconds, nanoseconds]",
                type("array").prefixItems(List.of(type("integer").format("int64"),
                        type("integer").minimum(BigDecimal.ZERO).maximum(BigDecimal.valueOf(999_999_999)))).minItems(2).maxItems(2),
                List.of(90, 0)));
        variants.add(tagged("TimeZone", "an IANA time zone name", type("string"), "Europe/Paris"));
        variants.add(tagged("LazyStringMap", "a map of strings (template files: path -> source)",
                type("object").additionalProperties(type("string")), Map.of("init.luau", "return {}")));
        JsonSchema nullVariant = new JsonSchema();
        nullVariant.title("Null").description("nil / no value").types(Set.of("string"))._const("Null");
        nullVariant.examples(List.of("Null"));
        variants.add(nullVariant);
        JsonSchema s = new JsonSchema();
        s.title(NAME);
        s.description("A value as templates, the KV store and the API exchange it: serde's externally tagged JSON, one"
                + " key naming the variant (UPSTREAM.md §7.5), or the string \"Null\". Containers nest at most 10 deep.");
        s.oneOf(variants);
        s.examples(List.of(Map.of("Text", "hello"), "Null",
                Map.of("Map", List.of(List.of(Map.of("Text", "n"), Map.of("Integer", 7))))));
        return s;
    }

    private static JsonSchema tagged(String tag, String description, Schema value, Object example) {
        JsonSchema s = new JsonSchema();
        s.title(tag).description(description).types(Set.of("object"));
        Map<String, Schema> props = new LinkedHashMap<>();
        props.put(tag, value);
        s.properties(props);
        s.required(List.of(tag));
        s.additionalProperties(false);
        s.examples(List.of(Map.of(tag, example)));
        return s;
    }

    private static Schema type(String t) {
        return new JsonSchema().types(Set.of(t));
    }

    private static Schema ref() {
        return new JsonSchema().$ref(REF);
    }
}
