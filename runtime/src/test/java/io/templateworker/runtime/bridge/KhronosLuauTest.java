package io.templateworker.runtime.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import org.junit.jupiter.api.Test;

class KhronosLuauTest {

  @Test
  void scalars_lists_and_maps_survive_a_round_trip() {
    KhronosValue v = KhronosValue.textMap("name", new KhronosValue.Text("ana"), "ok", KhronosValue.Bool.TRUE,
        "score", new KhronosValue.Float(1.5), "tags", KhronosValue.list(new KhronosValue.Text("a"), new KhronosValue.Text("b")));
    // A Luau table has no key order, so compare the entries as a set.
    KhronosValue.MapValue back = (KhronosValue.MapValue) KhronosLuau.toKhronos(KhronosLuau.toLuau(v));
    assertThat(back.entries()).containsExactlyInAnyOrderElementsOf(((KhronosValue.MapValue) v).entries());
  }

  @Test
  void integers_beyond_2_pow_53_stay_exact_as_the_integer_type() {
    assertThat(KhronosLuau.toLuau(new KhronosValue.Int(5))).isEqualTo(5.0);
    long big = (1L << 60) + 1;
    assertThat(KhronosLuau.toLuau(new KhronosValue.Int(big))).isEqualTo(big);
    assertThat(KhronosLuau.toKhronos(big)).isEqualTo(new KhronosValue.Int(big));
  }

  @Test
  void non_empty_table_becomes_its_sequence_and_functions_are_refused() {
    LuauTable t = new LuauTable();
    t.rawset(1, LuauString.of("x"));
    t.rawset(LuauString.of("dropped"), true);
    assertThat(KhronosLuau.toKhronos(t)).isEqualTo(KhronosValue.list(new KhronosValue.Text("x")));
    assertThat(KhronosLuau.toKhronos(new LuauTable())).isEqualTo(new KhronosValue.MapValue(java.util.List.of()));
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
}
