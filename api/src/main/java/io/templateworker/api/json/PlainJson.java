package io.templateworker.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.api.ApiException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON ↔ {@link KhronosValue}, for routes whose bodies are untagged JSON (settings {@code fields} in, setting
 * results out), as upstream's serde_json ↔ Luau conversion: objects become Maps with Text keys, arrays Lists.
 */
public final class PlainJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private PlainJson() {
    }

    /** The KhronosValue of a JSON value; 400 naming {@code where} when it nests deeper than KhronosValue allows. */
    public static KhronosValue toKhronos(JsonNode node, String where) {
        return toKhronos(node, where, 0);
    }

    private static KhronosValue toKhronos(JsonNode node, String where, int depth) {
        if (depth > KhronosValue.MAX_DEPTH) {
            throw ApiException.badRequest(where + " nests deeper than " + KhronosValue.MAX_DEPTH + " levels");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return KhronosValue.Null.INSTANCE;
        }
        if (node.isTextual()) {
            return new KhronosValue.Text(node.textValue());
        }
        if (node.isBoolean()) {
            return KhronosValue.Bool.of(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return new KhronosValue.Int(node.longValue());
            }
            BigInteger big = node.bigIntegerValue();
            if (big.signum() > 0 && big.compareTo(U64_MAX) <= 0) {
                return new KhronosValue.UInt(big.longValue());
            }
            return new KhronosValue.Float(big.doubleValue());
        }
        if (node.isNumber()) {
            return new KhronosValue.Float(node.doubleValue());
        }
        if (node.isArray()) {
            List<KhronosValue> items = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                items.add(toKhronos(item, where, depth + 1));
            }
            return new KhronosValue.ListValue(items);
        }
        List<KhronosValue.Entry> entries = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            entries.add(new KhronosValue.Entry(new KhronosValue.Text(e.getKey()), toKhronos(e.getValue(), where, depth + 1)));
        }
        return new KhronosValue.MapValue(entries);
    }

    /**
     * The plain JSON of a value: Maps with string-like keys become objects (other keys are written as their text),
     * timestamps RFC 3339 strings, intervals seconds as a number, buffers base64, Null {@code null}.
     */
    public static JsonNode toJson(KhronosValue value) {
        return switch (value) {
            case KhronosValue.Text t -> NODES.textNode(t.value());
            case KhronosValue.Int i -> NODES.numberNode(i.value());
            case KhronosValue.UInt u -> NODES.numberNode(new BigInteger(Long.toUnsignedString(u.bits())));
            case KhronosValue.Float f -> Double.isFinite(f.value()) ? NODES.numberNode(f.value()) : NODES.nullNode();
            case KhronosValue.Bool b -> NODES.booleanNode(b.value());
            case KhronosValue.Buffer b -> NODES.textNode(Base64.getEncoder().encodeToString(b.bytes()));
            case KhronosValue.Vector v -> NODES.arrayNode().add(v.x()).add(v.y()).add(v.z());
            case KhronosValue.MapValue m -> {
                ObjectNode o = NODES.objectNode();
                for (KhronosValue.Entry e : m.entries()) {
                    o.set(keyText(e.key()), toJson(e.value()));
                }
                yield o;
            }
            case KhronosValue.ListValue l -> {
                ArrayNode a = NODES.arrayNode();
                for (KhronosValue item : l.items()) {
                    a.add(toJson(item));
                }
                yield a;
            }
            case KhronosValue.Timestamptz t -> NODES.textNode(KhronosJson.formatInstant(t.value()));
            case KhronosValue.Interval i -> NODES.numberNode(i.seconds() + i.nanos() / 1e9);
            case KhronosValue.TimeZone z -> NODES.textNode(z.name());
            case KhronosValue.LazyStringMap m -> {
                ObjectNode o = NODES.objectNode();
                m.map().forEach(o::put);
                yield o;
            }
            case KhronosValue.Null n -> NODES.nullNode();
        };
    }

    private static String keyText(KhronosValue key) {
        return switch (key) {
            case KhronosValue.Text t -> t.value();
            case KhronosValue.Int i -> Long.toString(i.value());
            case KhronosValue.UInt u -> Long.toUnsignedString(u.bits());
            case KhronosValue.Float f -> Double.toString(f.value());
            case KhronosValue.Bool b -> Boolean.toString(b.value());
            default -> toJson(key).toString();
        };
    }
}
