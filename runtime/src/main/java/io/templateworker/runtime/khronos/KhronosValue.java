package io.templateworker.runtime.khronos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * A value as stored in KV and sent across process and API boundaries: the upstream KhronosValue with its 14
 * variants (UPSTREAM.md §7.5). Luau objects never leave their VM; the runtime converts them to and from this.
 *
 * <p>Java names differ from the wire tags where the tag would shadow {@code java.lang} ({@code Int} is
 * {@code "Integer"}, {@code MapValue} is {@code "Map"}, ...); {@link #wireTag()} gives the tag. Containers
 * are immutable and keep insertion order. Use {@link KhronosJson} for the wire format.
 */
public sealed interface KhronosValue {

    /** Deepest nesting of containers (List, Map) accepted anywhere, as upstream's conversion limit (§2.8). */
    int MAX_DEPTH = 10;

    /** The externally tagged JSON name of this variant, e.g. {@code "Integer"}. */
    String wireTag();

    /** {@code {"Text": "..."}}: a string (upstream converts Luau strings lossily to UTF-8). */
    record Text(String value) implements KhronosValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String wireTag() {
            return "Text";
        }
    }

    /** {@code {"Integer": 5}}: a signed 64-bit integer. */
    record Int(long value) implements KhronosValue {
        @Override
        public String wireTag() {
            return "Integer";
        }
    }

    /** {@code {"UnsignedInteger": 5}}: an unsigned 64-bit integer, held in a long's bits. */
    record UInt(long bits) implements KhronosValue {
        @Override
        public String wireTag() {
            return "UnsignedInteger";
        }

        @Override
        public String toString() {
            return "UInt[" + Long.toUnsignedString(bits) + "]";
        }
    }

    /** {@code {"Float": 1.5}}: an IEEE double (a Luau number). */
    record Float(double value) implements KhronosValue {
        @Override
        public String wireTag() {
            return "Float";
        }
    }

    /** {@code {"Boolean": true}}. */
    record Bool(boolean value) implements KhronosValue {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public static Bool of(boolean value) {
            return value ? TRUE : FALSE;
        }

        @Override
        public String wireTag() {
            return "Boolean";
        }
    }

    /** {@code {"Buffer": [1, 2, 3]}}: raw bytes (a Luau buffer). The array is copied in and never exposed. */
    record Buffer(byte[] bytes) implements KhronosValue {
        public Buffer {
            bytes = bytes.clone();
        }

        /** A copy of the bytes. */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        /** The byte at {@code index} as 0..255, without copying the array. */
        public int byteAt(int index) {
            return bytes[index] & 0xff;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Buffer other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Buffer" + Arrays.toString(bytes);
        }

        @Override
        public String wireTag() {
            return "Buffer";
        }
    }

    /** {@code {"Vector": [x, y, z]}}: a Luau vector of three 32-bit floats. */
    record Vector(float x, float y, float z) implements KhronosValue {
        @Override
        public String wireTag() {
            return "Vector";
        }
    }

    /** {@code {"Map": [[k, v], ...]}}: ordered pairs whose keys may be any value (a Luau table). */
    record MapValue(java.util.List<Entry> entries) implements KhronosValue {
        public MapValue {
            entries = java.util.List.copyOf(entries);
        }

        /** The value of the first entry whose key equals {@code key}, or null. */
        public KhronosValue get(KhronosValue key) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.key().equals(key)) {
                    return e.value();
                }
            }
            return null;
        }

        /** Shorthand for {@code get(new Text(key))}. */
        public KhronosValue get(String key) {
            return get(new Text(key));
        }

        @Override
        public String wireTag() {
            return "Map";
        }
    }

    /** One key/value pair of a {@link MapValue}. */
    record Entry(KhronosValue key, KhronosValue value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code {"List": [v, ...]}}: a sequence (a Luau array). */
    record ListValue(java.util.List<KhronosValue> items) implements KhronosValue {
        public ListValue {
            items = java.util.List.copyOf(items);
        }

        @Override
        public String wireTag() {
            return "List";
        }
    }

    /** {@code {"Timestamptz": "2026-02-27T12:00:00Z"}}: an instant, always UTC on the wire. */
    record Timestamptz(Instant value) implements KhronosValue {
        public Timestamptz {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String wireTag() {
            return "Timestamptz";
        }
    }

    /** {@code {"Interval": [seconds, nanoseconds]}}: a signed duration (a Luau TimeDelta). */
    record Interval(long seconds, int nanos) implements KhronosValue {
        @Override
        public String wireTag() {
            return "Interval";
        }
    }

    /** {@code {"TimeZone": "Asia/Kolkata"}}: an IANA zone name. */
    record TimeZone(String name) implements KhronosValue {
        public TimeZone {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String wireTag() {
            return "TimeZone";
        }
    }

    /** {@code {"LazyStringMap": {"k": "v"}}}: a string-to-string map (template content, a VFS). */
    record LazyStringMap(java.util.Map<String, String> map) implements KhronosValue {
        public LazyStringMap {
            map = Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }

        @Override
        public String wireTag() {
            return "LazyStringMap";
        }
    }

    /** {@code "Null"}: Luau nil. A singleton. */
    enum Null implements KhronosValue {
        INSTANCE;

        @Override
        public String wireTag() {
            return "Null";
        }
    }

    // ----- convenience constructors -----

    static KhronosValue text(String value) {
        return new Text(value);
    }

    static KhronosValue integer(long value) {
        return new Int(value);
    }

    static KhronosValue list(KhronosValue... items) {
        return new ListValue(Arrays.asList(items));
    }

    /** A map with Text keys from alternating {@code key, value} arguments. */
    static MapValue textMap(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("textMap needs key/value pairs, got " + keysAndValues.length + " arguments");
        }
        java.util.List<Entry> entries = new ArrayList<>(keysAndValues.length / 2);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            entries.add(new Entry(new Text((String) keysAndValues[i]), (KhronosValue) keysAndValues[i + 1]));
        }
        return new MapValue(entries);
    }

    /**
     * Nesting depth of containers: 0 for a scalar, 1 for a List or Map of scalars, and so on. Iterative over
     * width, recursive only as deep as the value, and it stops once {@code limit} is exceeded.
     */
    static int depth(KhronosValue value, int limit) {
        return depthBelow(value, 0, limit);
    }

    private static int depthBelow(KhronosValue value, int current, int limit) {
        if (value instanceof ListValue l) {
            int here = current + 1;
            int max = here;
            for (int i = 0; i < l.items().size() && max <= limit; i++) {
                max = Math.max(max, depthBelow(l.items().get(i), here, limit));
            }
            return max;
        }
        if (value instanceof MapValue m) {
            int here = current + 1;
            int max = here;
            for (int i = 0; i < m.entries().size() && max <= limit; i++) {
                Entry e = m.entries().get(i);
                max = Math.max(max, Math.max(depthBelow(e.key(), here, limit), depthBelow(e.value(), here, limit)));
            }
            return max;
        }
        return current;
    }
}
