package io.templateworker.runtime.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.values.Blob;
import io.templateworker.runtime.values.I64;
import io.templateworker.runtime.values.Interop;
import io.templateworker.runtime.values.Opaque;
import io.templateworker.runtime.values.ScriptRunner;
import io.templateworker.runtime.values.U64;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KhronosLuauTest {

  /** Luau → KhronosValue → JSON → KhronosValue → Luau → KhronosValue: what a KV set and get does. */
  private static KhronosValue throughStorage(KhronosValue v) {
    KhronosValue stored = KhronosJson.fromJson(KhronosJson.toJson(KhronosLuau.toKhronos(KhronosLuau.toLuau(v))));
    return KhronosLuau.toKhronos(KhronosLuau.toLuau(stored));
  }

  @Test
  void scalars_lists_and_maps_survive_a_round_trip() {
    KhronosValue v = KhronosValue.textMap("name", new KhronosValue.Text("ana"), "ok", KhronosValue.Bool.TRUE,
        "score", new KhronosValue.Float(1.5), "tags", KhronosValue.list(new KhronosValue.Text("a"), new KhronosValue.Text("b")));
    // A Luau table has no key order, so compare the entries as a set.
    KhronosValue.MapValue back = (KhronosValue.MapValue) KhronosLuau.toKhronos(KhronosLuau.toLuau(v));
    assertThat(back.entries()).containsExactlyInAnyOrderElementsOf(((KhronosValue.MapValue) v).entries());
  }

  @Test
  void typed_values_keep_their_type_through_storage() {
    Instant at = Instant.parse("2026-02-27T12:00:00.123456Z");
    List<KhronosValue> values = List.of(new KhronosValue.Timestamptz(at), new KhronosValue.Interval(90, 500),
        new KhronosValue.Interval(-2, 1), new KhronosValue.TimeZone("Asia/Kolkata"), new KhronosValue.TimeZone("UTC"),
        new KhronosValue.Int((1L << 60) + 1), new KhronosValue.Int(Long.MIN_VALUE), new KhronosValue.Int(42),
        new KhronosValue.UInt(-1L), new KhronosValue.UInt(7), new KhronosValue.Float(0.25),
        new KhronosValue.Buffer(new byte[] {1, 2, (byte) 255}), new KhronosValue.Vector(1, 2, 3),
        new KhronosValue.LazyStringMap(Map.of("init.luau", "return {}")), new KhronosValue.ListValue(List.of()),
        new KhronosValue.MapValue(List.of()), KhronosValue.Null.INSTANCE, new KhronosValue.Text("x"));
    for (KhronosValue v : values) {
      assertThat(throughStorage(v)).as(v.toString()).isEqualTo(v);
    }
  }

  @Test
  void typed_values_arrive_in_luau_as_their_userdata() {
    Object[] r = ScriptRunner.run("""
        local dt, td, tz, big, u, lazy, empty, n = ...
        return typeof(dt), dt.year, tostring(dt), typeof(td), td.seconds, typeof(tz), tz.name,
          typeof(big), tostring(big), typeof(u), tostring(u), typeof(lazy), lazy.data["init.luau"],
          getmetatable(empty) ~= nil, typeof(n), n
        """,
        KhronosLuau.toLuau(new KhronosValue.Timestamptz(Instant.parse("2026-02-27T12:00:00Z"))),
        KhronosLuau.toLuau(new KhronosValue.Interval(90, 0)),
        KhronosLuau.toLuau(new KhronosValue.TimeZone("Asia/Kolkata")),
        KhronosLuau.toLuau(new KhronosValue.Int(Long.MAX_VALUE)),
        KhronosLuau.toLuau(new KhronosValue.UInt(-1L)),
        KhronosLuau.toLuau(new KhronosValue.LazyStringMap(Map.of("init.luau", "src"))),
        KhronosLuau.toLuau(new KhronosValue.ListValue(List.of())),
        KhronosLuau.toLuau(new KhronosValue.Int(9_007_199_254_740_991L)));
    assertThat(r).containsExactly(LuauString.of("DateTime"), 2026.0, LuauString.of("2026-02-27T12:00:00+00:00"),
        LuauString.of("TimeDelta"), 90.0, LuauString.of("Timezone"), LuauString.of("Asia/Kolkata"),
        LuauString.of("I64"), LuauString.of(Long.toString(Long.MAX_VALUE)), LuauString.of("U64"),
        LuauString.of("18446744073709551615"), LuauString.of("Lazy"), LuauString.of("src"), true,
        LuauString.of("number"), 9_007_199_254_740_991.0);
  }

  @Test
  void whole_numbers_become_integers_and_fractions_floats_as_upstream() {
    assertThat(KhronosLuau.toKhronos(5.0)).isEqualTo(new KhronosValue.Int(5));
    assertThat(KhronosLuau.toKhronos(-0.0)).isEqualTo(new KhronosValue.Int(0));
    assertThat(KhronosLuau.toKhronos(1.5)).isEqualTo(new KhronosValue.Float(1.5));
    assertThat(KhronosLuau.toKhronos(1e300)).isEqualTo(new KhronosValue.Float(1e300));
    assertThat(KhronosLuau.toKhronos(Double.NaN)).isEqualTo(new KhronosValue.Float(Double.NaN));
    assertThat(KhronosLuau.toKhronos(7L)).isEqualTo(new KhronosValue.Int(7));
    assertThat(KhronosLuau.toLuau(new KhronosValue.Int(5))).isEqualTo(5.0);
    assertThat(I64.TYPE.is(KhronosLuau.toLuau(new KhronosValue.Int(1L << 53)))).isTrue();
  }

  @Test
  void blobs_lazies_and_null_convert_and_opaque_is_refused() {
    assertThat(KhronosLuau.toKhronos(Blob.wrap(new byte[] {9}))).isEqualTo(new KhronosValue.Buffer(new byte[] {9}));
    assertThat(KhronosLuau.toKhronos(Interop.NULL)).isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(KhronosLuau.toKhronos(U64.wrap(3))).isEqualTo(new KhronosValue.UInt(3));
    assertThat(KhronosLuau.toKhronos(new LuauBuffer(new byte[] {1}))).isEqualTo(new KhronosValue.Buffer(new byte[] {1}));
    assertThatThrownBy(() -> KhronosLuau.toKhronos(Opaque.wrap(new KhronosValue.Text("secret"))))
        .isInstanceOf(KhronosException.class).hasMessageContaining("Invalid UserData type: a Opaque");
  }

  @Test
  void null_items_of_a_list_are_skipped_so_the_sequence_has_no_holes() {
    LuauTable t = (LuauTable) KhronosLuau.toLuau(KhronosValue.list(new KhronosValue.Int(1), KhronosValue.Null.INSTANCE,
        new KhronosValue.Int(3)));
    assertThat(t.length()).isEqualTo(2);
    assertThat(t.rawget(2)).isEqualTo(3.0);
  }

  @Test
  void an_empty_table_with_the_array_metatable_is_an_empty_list() {
    assertThat(KhronosLuau.toKhronos(Interop.newArray(0))).isEqualTo(new KhronosValue.ListValue(List.of()));
    assertThat(KhronosLuau.toKhronos(new LuauTable())).isEqualTo(new KhronosValue.MapValue(List.of()));
  }

  @Test
  void integers_beyond_2_pow_53_stay_exact() {
    long big = (1L << 60) + 1;
    assertThat(KhronosLuau.toKhronos(KhronosLuau.toLuau(new KhronosValue.Int(big)))).isEqualTo(new KhronosValue.Int(big));
    assertThat(KhronosLuau.toKhronos(big)).isEqualTo(new KhronosValue.Int(big));
  }

  @Test
  void non_empty_table_becomes_its_sequence_and_functions_are_refused() {
    LuauTable t = new LuauTable();
    t.rawset(1, LuauString.of("x"));
    t.rawset(LuauString.of("dropped"), true);
    assertThat(KhronosLuau.toKhronos(t)).isEqualTo(KhronosValue.list(new KhronosValue.Text("x")));
    assertThatThrownBy(() -> KhronosLuau.toKhronos(LuauFunction.host("f", (L, a) -> LuauFunction.NONE)))
        .isInstanceOf(KhronosException.class).hasMessageContaining("Invalid type");
  }

  @Test
  void nesting_deeper_than_ten_is_refused() {
    LuauTable outer = new LuauTable();
    LuauTable t = outer;
    for (int i = 0; i < 11; i++) {
      LuauTable inner = new LuauTable();
      t.rawset(1, inner);
      t = inner;
    }
    assertThatThrownBy(() -> KhronosLuau.toKhronos(outer)).hasMessage("Recursion limit exceeded");
  }

  @Test
  void an_unknown_zone_name_is_a_clear_error() {
    assertThatThrownBy(() -> KhronosLuau.toLuau(new KhronosValue.TimeZone("Mars/Olympus")))
        .isInstanceOf(KhronosException.class).hasMessageContaining("Mars/Olympus");
  }
}
