package io.templateworker.runtime.khronos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class KhronosJsonTest {

    static Stream<Arguments> everyVariant() {
        Map<String, String> vfs = new LinkedHashMap<>();
        vfs.put("init.luau", "return 1");
        vfs.put("lib/a.luau", "return 'a'");
        return Stream.of(
                Arguments.of(new Text("abc"), "{\"Text\":\"abc\"}"),
                Arguments.of(new Text("é\"\\"), "{\"Text\":\"é\\\"\\\\\"}"),
                Arguments.of(new Int(5), "{\"Integer\":5}"),
                Arguments.of(new Int(Long.MIN_VALUE), "{\"Integer\":-9223372036854775808}"),
                Arguments.of(new UInt(5), "{\"UnsignedInteger\":5}"),
                Arguments.of(new UInt(-1), "{\"UnsignedInteger\":18446744073709551615}"),
                Arguments.of(new KhronosValue.Float(1.5), "{\"Float\":1.5}"),
                Arguments.of(new KhronosValue.Float(Double.NaN), "{\"Float\":\"NaN\"}"),
                Arguments.of(new KhronosValue.Float(Double.NEGATIVE_INFINITY), "{\"Float\":\"-Infinity\"}"),
                Arguments.of(Bool.TRUE, "{\"Boolean\":true}"),
                Arguments.of(new Buffer(new byte[] {1, 2, (byte) 255}), "{\"Buffer\":[1,2,255]}"),
                Arguments.of(new Vector(1f, 2.5f, -3f), "{\"Vector\":[1.0,2.5,-3.0]}"),
                Arguments.of(new MapValue(List.of(new Entry(new Text("k"), Null.INSTANCE),
                        new Entry(new Int(1), new Text("one")))),
                        "{\"Map\":[[{\"Text\":\"k\"},\"Null\"],[{\"Integer\":1},{\"Text\":\"one\"}]]}"),
                Arguments.of(new ListValue(List.of(new Int(1), Null.INSTANCE)), "{\"List\":[{\"Integer\":1},\"Null\"]}"),
                Arguments.of(new ListValue(List.of()), "{\"List\":[]}"),
                Arguments.of(new Timestamptz(Instant.parse("2026-02-27T12:00:00Z")), "{\"Timestamptz\":\"2026-02-27T12:00:00Z\"}"),
                Arguments.of(new Timestamptz(Instant.parse("2026-02-27T12:00:00.120Z")), "{\"Timestamptz\":\"2026-02-27T12:00:00.120Z\"}"),
                Arguments.of(new Timestamptz(Instant.parse("2026-02-27T12:00:00.000123Z")), "{\"Timestamptz\":\"2026-02-27T12:00:00.000123Z\"}"),
                Arguments.of(new Timestamptz(Instant.parse("2026-02-27T12:00:00.000000007Z")), "{\"Timestamptz\":\"2026-02-27T12:00:00.000000007Z\"}"),
                Arguments.of(new Interval(90, 500), "{\"Interval\":[90,500]}"),
                Arguments.of(new TimeZone("Asia/Kolkata"), "{\"TimeZone\":\"Asia/Kolkata\"}"),
                Arguments.of(new LazyStringMap(vfs), "{\"LazyStringMap\":{\"init.luau\":\"return 1\",\"lib/a.luau\":\"return 'a'\"}}"),
                Arguments.of(Null.INSTANCE, "\"Null\""));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyVariant")
    void writes_the_upstream_wire_shape_and_reads_it_back(KhronosValue value, String json) {
        assertThat(KhronosJson.toJson(value)).isEqualTo(json);
        assertThat(KhronosJson.fromJson(json)).isEqualTo(value);
        assertThat(KhronosJson.fromJson(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
        assertThat(KhronosJson.serializedLength(value)).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void upstream_example_result_parses() {
        String json = "{\"List\": [{\"Map\": [[{\"Text\": \"type\"}, {\"Text\": \"ok\"}], [{\"Text\": \"id\"},"
                + " {\"Text\": \"$builtins\"}], [{\"Text\": \"value\"}, \"Null\"]]}]}";
        KhronosValue v = KhronosJson.fromJson(json);
        MapValue result = (MapValue) ((ListValue) v).items().get(0);
        assertThat(result.get("type")).isEqualTo(new Text("ok"));
        assertThat(result.get("value")).isEqualTo(Null.INSTANCE);
    }

    @Test
    void timestamps_with_offsets_are_read_as_utc() {
        assertThat(KhronosJson.fromJson("{\"Timestamptz\":\"2026-02-27T17:30:00+05:30\"}"))
                .isEqualTo(new Timestamptz(Instant.parse("2026-02-27T12:00:00Z")));
    }

    @Test
    void upstream_null_float_reads_as_nan() {
        assertThat(KhronosJson.fromJson("{\"Float\":null}")).isEqualTo(new KhronosValue.Float(Double.NaN));
    }

    static KhronosValue nestedLists(int levels) {
        KhronosValue v = new Int(1);
        for (int i = 0; i < levels; i++) {
            v = new ListValue(List.of(v));
        }
        return v;
    }

    @Test
    void ten_levels_of_nesting_are_accepted_and_eleven_rejected() {
        KhronosValue ten = nestedLists(10);
        assertThat(KhronosValue.depth(ten, 20)).isEqualTo(10);
        assertThat(KhronosJson.fromJson(KhronosJson.toJson(ten))).isEqualTo(ten);

        KhronosValue eleven = nestedLists(11);
        assertThatThrownBy(() -> KhronosJson.toJson(eleven))
                .isInstanceOf(KhronosException.class).hasMessageContaining("Recursion limit exceeded");
        String elevenJson = "{\"List\":[".repeat(11) + "\"Null\"" + "]}".repeat(11);
        assertThatThrownBy(() -> KhronosJson.fromJson(elevenJson))
                .isInstanceOf(KhronosException.class).hasMessageContaining("Recursion limit exceeded");
    }

    @Test
    void map_keys_count_towards_depth() {
        KhronosValue deepKey = new MapValue(List.of(new Entry(nestedLists(10), Null.INSTANCE)));
        assertThat(KhronosValue.depth(deepKey, 20)).isEqualTo(11);
        assertThatThrownBy(() -> KhronosJson.toJson(deepKey)).hasMessageContaining("Recursion limit exceeded");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_json_is_rejected_with_what_was_wrong(String json, String message) {
        assertThatThrownBy(() -> KhronosJson.fromJson(json))
                .isInstanceOf(KhronosException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("5", "expected a tagged object"),
                Arguments.of("\"null\"", "only bare string allowed is \"Null\""),
                Arguments.of("{\"Texts\":\"a\"}", "unknown KhronosValue variant \"Texts\""),
                Arguments.of("{\"Text\":\"a\",\"Integer\":1}", "exactly one field"),
                Arguments.of("{\"Integer\":1.5}", "Integer needs a whole number"),
                Arguments.of("{\"Integer\":99999999999999999999}", "does not fit in 64 bits"),
                Arguments.of("{\"UnsignedInteger\":-1}", "outside 0..18446744073709551615"),
                Arguments.of("{\"Buffer\":[256]}", "outside 0..255"),
                Arguments.of("{\"Vector\":[1,2]}", "exactly three numbers"),
                Arguments.of("{\"Map\":[[{\"Text\":\"k\"}]]}", "expected a tagged object"),
                Arguments.of("{\"Timestamptz\":\"yesterday\"}", "RFC 3339"),
                Arguments.of("{\"Interval\":[1,1000000000]}", "nanoseconds"),
                Arguments.of("\"Null\" \"Null\"", "trailing content"));
    }

    @Test
    void buffer_is_copied_in_and_out() {
        byte[] bytes = {1, 2, 3};
        Buffer b = new Buffer(bytes);
        bytes[0] = 9;
        b.bytes()[1] = 9;
        assertThat(b).isEqualTo(new Buffer(new byte[] {1, 2, 3}));
    }
}
