package io.templateworker.runtime.khronos;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.templateworker.runtime.khronos.KhronosValue.Bool;
import io.templateworker.runtime.khronos.KhronosValue.Buffer;
import io.templateworker.runtime.khronos.KhronosValue.Entry;
import io.templateworker.runtime.khronos.KhronosValue.Int;
import io.templateworker.runtime.khronos.KhronosValue.Interval;
import io.templateworker.runtime.khronos.KhronosValue.LazyStringMap;
import io.templateworker.runtime.khronos.KhronosValue.ListValue;
import io.templateworker.runtime.khronos.KhronosValue.MapValue;
import io.templateworker.runtime.khronos.KhronosValue.Null;
import io.templateworker.runtime.khronos.KhronosValue.Text;
import io.templateworker.runtime.khronos.KhronosValue.TimeZone;
import io.templateworker.runtime.khronos.KhronosValue.Timestamptz;
import io.templateworker.runtime.khronos.KhronosValue.UInt;
import io.templateworker.runtime.khronos.KhronosValue.Vector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v2 wire format of {@link KhronosValue}: serde's externally tagged JSON, e.g. {@code {"Integer": 5}},
 * {@code {"Map": [[{"Text": "k"}, "Null"]]}} (UPSTREAM.md §7.5). Streaming Jackson, no tree in between.
 *
 * <p>Both directions reject values nested deeper than {@link KhronosValue#MAX_DEPTH} containers with
 * "Recursion limit exceeded". The length of {@link #toJsonBytes} is the measure upstream's 256 KiB KV value
 * limit applies to. Timestamps are written in UTC with 0, 3, 6 or 9 fraction digits, as upstream does.
 *
 * <p>One deliberate difference: upstream writes a non-finite Float as JSON {@code null} and then cannot read
 * it back. We write {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} and read those and {@code null}
 * (as NaN), so such a value survives a round trip.
 */
public final class KhronosJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()) // per-thread pools do not recycle on virtual threads
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4 * KhronosValue.MAX_DEPTH + 8).build())
            .build();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private KhronosJson() {
    }

    /** The wire JSON of {@code value} as a string. */
    public static String toJson(KhronosValue value) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new KhronosException("could not write KhronosValue JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** The wire JSON of {@code value} as UTF-8 bytes; its length is what the KV value limit measures. */
    public static byte[] toJsonBytes(KhronosValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new KhronosException("could not write KhronosValue JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Length in bytes of the UTF-8 wire JSON of {@code value}. */
    public static int serializedLength(KhronosValue value) {
        return toJsonBytes(value).length;
    }

    /** Writes {@code value} to an open generator (for embedding in a larger document). */
    public static void write(JsonGenerator g, KhronosValue value) throws IOException {
        write(g, value, 0);
    }

    /** Parses one KhronosValue from wire JSON. */
    public static KhronosValue fromJson(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            return readDocument(p);
        } catch (IOException e) {
            throw new KhronosException("invalid KhronosValue JSON: " + e.getMessage(), e);
        }
    }

    /** Parses one KhronosValue from UTF-8 wire JSON. */
    public static KhronosValue fromJson(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            return readDocument(p);
        } catch (IOException e) {
            throw new KhronosException("invalid KhronosValue JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one value from a parser positioned on its first token (for embedding in a larger document);
     * leaves the parser on the value's last token.
     */
    public static KhronosValue read(JsonParser p) throws IOException {
        return read(p, 0);
    }

    /** RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as chrono writes it. */
    public static String formatInstant(Instant instant) {
        StringBuilder sb = new StringBuilder(30);
        sb.append(SECONDS.format(instant.atOffset(ZoneOffset.UTC)));
        int nanos = instant.getNano();
        if (nanos != 0) {
            String nine = Integer.toString(1_000_000_000 + nanos).substring(1);
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
            sb.append('.').append(nine, 0, digits);
        }
        return sb.append('Z').toString();
    }

    /** Parses RFC 3339 with any offset (converted to UTC). */
    public static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new KhronosException("invalid Timestamptz \"" + text + "\": expected RFC 3339 such as 2026-02-27T12:00:00Z");
        }
    }

    // ----- writing -----

    private static void write(JsonGenerator g, KhronosValue value, int depth) throws IOException {
        if (value == Null.INSTANCE) {
            g.writeString("Null");
            return;
        }
        g.writeStartObject();
        g.writeFieldName(value.wireTag());
        switch (value) {
            case Text t -> g.writeString(t.value());
            case Int i -> g.writeNumber(i.value());
            case UInt u -> {
                if (u.bits() >= 0) {
                    g.writeNumber(u.bits());
                } else {
                    g.writeNumber(new BigInteger(Long.toUnsignedString(u.bits())));
                }
            }
            case KhronosValue.Float f -> writeDouble(g, f.value());
            case Bool b -> g.writeBoolean(b.value());
            case Buffer b -> {
                g.writeStartArray();
                for (int i = 0; i < b.length(); i++) {
                    g.writeNumber(b.byteAt(i));
                }
                g.writeEndArray();
            }
            case Vector v -> {
                g.writeStartArray();
                g.writeNumber(v.x());
                g.writeNumber(v.y());
                g.writeNumber(v.z());
                g.writeEndArray();
            }
            case MapValue m -> {
                int inner = enter(depth);
                g.writeStartArray();
                List<Entry> entries = m.entries();
                for (int i = 0; i < entries.size(); i++) {
                    g.writeStartArray();
                    write(g, entries.get(i).key(), inner);
                    write(g, entries.get(i).value(), inner);
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            case ListValue l -> {
                int inner = enter(depth);
                g.writeStartArray();
                List<KhronosValue> items = l.items();
                for (int i = 0; i < items.size(); i++) {
                    write(g, items.get(i), inner);
                }
                g.writeEndArray();
            }
            case Timestamptz t -> g.writeString(formatInstant(t.value()));
            case Interval iv -> {
                g.writeStartArray();
                g.writeNumber(iv.seconds());
                g.writeNumber(iv.nanos());
                g.writeEndArray();
            }
            case TimeZone tz -> g.writeString(tz.name());
            case LazyStringMap lsm -> {
                g.writeStartObject();
                for (Map.Entry<String, String> e : lsm.map().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            case Null n -> throw new AssertionError("handled above");
        }
        g.writeEndObject();
    }

    private static void writeDouble(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d)) {
            g.writeString("NaN");
        } else if (Double.isInfinite(d)) {
            g.writeString(d > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumber(d);
        }
    }

    private static int enter(int depth) {
        int inner = depth + 1;
        if (inner > KhronosValue.MAX_DEPTH) {
            throw tooDeep();
        }
        return inner;
    }

    private static KhronosException tooDeep() {
        return new KhronosException("Recursion limit exceeded: a value may nest at most "
                + KhronosValue.MAX_DEPTH + " levels of tables");
    }

    // ----- reading -----

    private static KhronosValue readDocument(JsonParser p) throws IOException {
        if (p.nextToken() == null) {
            throw new KhronosException("invalid KhronosValue JSON: empty input");
        }
        KhronosValue value = read(p, 0);
        if (p.nextToken() != null) {
            throw new KhronosException("invalid KhronosValue JSON: trailing content after the value");
        }
        return value;
    }

    private static KhronosValue read(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            if ("Null".equals(p.getText())) {
                return Null.INSTANCE;
            }
            throw bad(p, "the only bare string allowed is \"Null\", got \"" + p.getText() + "\"");
        }
        if (t != JsonToken.START_OBJECT) {
            throw bad(p, "expected a tagged object such as {\"Text\": \"...\"} or \"Null\", got " + t);
        }
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            throw bad(p, "a tagged object must have exactly one field naming the variant");
        }
        String tag = p.currentName();
        p.nextToken();
        KhronosValue value = switch (tag) {
            case "Text" -> new Text(expectString(p, tag));
            case "Integer" -> new Int(readLong(p));
            case "UnsignedInteger" -> new UInt(readUnsigned(p));
            case "Float" -> new KhronosValue.Float(readDouble(p));
            case "Boolean" -> {
                JsonToken b = p.currentToken();
                if (b != JsonToken.VALUE_TRUE && b != JsonToken.VALUE_FALSE) {
                    throw bad(p, "Boolean needs true or false");
                }
                yield Bool.of(b == JsonToken.VALUE_TRUE);
            }
            case "Buffer" -> readBuffer(p);
            case "Vector" -> readVector(p);
            case "Map" -> readMap(p, enterRead(depth));
            case "List" -> readList(p, enterRead(depth));
            case "Timestamptz" -> new Timestamptz(parseInstant(expectString(p, tag)));
            case "Interval" -> readInterval(p);
            case "TimeZone" -> new TimeZone(expectString(p, tag));
            case "LazyStringMap" -> readLazyStringMap(p);
            default -> throw bad(p, "unknown KhronosValue variant \"" + tag + "\"");
        };
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw bad(p, "a tagged object must have exactly one field, \"" + tag + "\" was followed by more");
        }
        return value;
    }

    private static int enterRead(int depth) {
        int inner = depth + 1;
        if (inner > KhronosValue.MAX_DEPTH) {
            throw tooDeep();
        }
        return inner;
    }

    private static String expectString(JsonParser p, String tag) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw bad(p, tag + " needs a string");
        }
        return p.getText();
    }

    private static long readLong(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw bad(p, "Integer needs a whole number");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw bad(p, "Integer " + p.getText() + " does not fit in 64 bits");
        }
        return p.getLongValue();
    }

    private static long readUnsigned(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw bad(p, "UnsignedInteger needs a whole number");
        }
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() < 0 || v.compareTo(TWO_TO_64) >= 0) {
            throw bad(p, "UnsignedInteger " + v + " is outside 0..18446744073709551615");
        }
        return v.longValue();
    }

    private static double readDouble(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return Double.NaN; // what upstream writes for any non-finite number
        }
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw bad(p, "Float needs a number");
    }

    private static Buffer readBuffer(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(p, "Buffer needs an array of bytes");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw bad(p, "Buffer needs an array of bytes");
            }
            int b = p.getIntValue();
            if (b < 0 || b > 255) {
                throw bad(p, "Buffer byte " + b + " is outside 0..255");
            }
            bytes.write(b);
        }
        return new Buffer(bytes.toByteArray());
    }

    private static Vector readVector(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(p, "Vector needs [x, y, z]");
        }
        float[] xyz = new float[3];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == 3 || !p.currentToken().isNumeric()) {
                throw bad(p, "Vector needs exactly three numbers [x, y, z]");
            }
            xyz[n++] = p.getFloatValue();
        }
        if (n != 3) {
            throw bad(p, "Vector needs exactly three numbers [x, y, z], got " + n);
        }
        return new Vector(xyz[0], xyz[1], xyz[2]);
    }

    private static MapValue readMap(JsonParser p, int depth) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(p, "Map needs an array of [key, value] pairs");
        }
        List<Entry> entries = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw bad(p, "Map needs an array of [key, value] pairs");
            }
            p.nextToken();
            KhronosValue key = read(p, depth);
            p.nextToken();
            KhronosValue value = read(p, depth);
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw bad(p, "a Map entry must be exactly [key, value]");
            }
            entries.add(new Entry(key, value));
        }
        return new MapValue(entries);
    }

    private static ListValue readList(JsonParser p, int depth) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(p, "List needs an array");
        }
        List<KhronosValue> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(p, depth));
        }
        return new ListValue(items);
    }

    private static Interval readInterval(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(p, "Interval needs [seconds, nanoseconds]");
        }
        p.nextToken();
        long seconds = readLong(p);
        p.nextToken();
        long nanos = readLong(p);
        if (nanos < 0 || nanos >= 1_000_000_000L) {
            throw bad(p, "Interval nanoseconds " + nanos + " is outside 0..999999999");
        }
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw bad(p, "Interval needs exactly [seconds, nanoseconds]");
        }
        return new Interval(seconds, (int) nanos);
    }

    private static LazyStringMap readLazyStringMap(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(p, "LazyStringMap needs an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, expectString(p, "LazyStringMap value"));
        }
        return new LazyStringMap(map);
    }

    private static KhronosException bad(JsonParser p, String what) {
        String at = p.currentLocation() == null ? "" : " (at character " + p.currentLocation().getCharOffset() + ")";
        return new KhronosException("invalid KhronosValue JSON: " + what + at);
    }

}
