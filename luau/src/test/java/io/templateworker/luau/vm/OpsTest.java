package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import org.junit.jupiter.api.Test;

class OpsTest {
  private final LuauVM vm = LuauVM.create();
  private final LuauThread L = vm.mainThread();

  @Test
  void arithmetic_on_numbers_and_numeric_strings() {
    assertThat(Ops.arith(L, Ops.ADD, 1.0, 2.0)).isEqualTo(3.0);
    assertThat(Ops.arith(L, Ops.MOD, -7.0, 3.0)).isEqualTo(2.0);
    assertThat(Ops.arith(L, Ops.IDIV, -7.0, 2.0)).isEqualTo(-4.0);
    assertThat(Ops.arith(L, Ops.MUL, LuauString.of("3"), 2.0)).isEqualTo(6.0);
  }

  @Test
  void arithmetic_errors_name_both_operand_types() {
    assertThatThrownBy(() -> Ops.arith(L, Ops.ADD, null, 1.0)).isInstanceOf(LuauError.class)
        .hasMessage("attempt to perform arithmetic (add) on nil and number");
    assertThatThrownBy(() -> Ops.arith(L, Ops.IDIV, new LuauTable(), 1.0))
        .hasMessage("attempt to perform arithmetic (idiv) on table and number");
    assertThatThrownBy(() -> Ops.unm(L, LuauString.of("x"))).hasMessage("attempt to perform arithmetic (unm) on string");
  }

  @Test
  void integers_refuse_arithmetic_operators_as_in_luau_0_735() {
    assertThatThrownBy(() -> Ops.arith(L, Ops.ADD, Long.MAX_VALUE, 1L))
        .hasMessage("attempt to perform arithmetic (add) on integer");
    assertThatThrownBy(() -> Ops.arith(L, Ops.ADD, 1L, 1.0))
        .hasMessage("attempt to perform arithmetic (add) on integer and number");
    assertThatThrownBy(() -> Ops.lessThan(L, 1L, 2L)).hasMessage("attempt to compare integer < integer");
  }

  @Test
  void arithmetic_metamethod_is_tried_on_either_operand() {
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__sub"), LuauFunction.host("sub", (th, a) -> new Object[] {a[1]}));
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    assertThat(Ops.arith(L, Ops.SUB, 5.0, t)).isSameAs(t);
    assertThat(Ops.arith(L, Ops.SUB, t, 5.0)).isEqualTo(5.0);
  }

  @Test
  void index_follows_index_chains_and_reports_the_key() {
    LuauTable base = new LuauTable();
    base.rawset(LuauString.of("k"), 1.0);
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__index"), base);
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    assertThat(Ops.index(L, t, LuauString.of("k"))).isEqualTo(1.0);
    assertThat(Ops.index(L, t, LuauString.of("missing"))).isNull();
    assertThatThrownBy(() -> Ops.index(L, null, LuauString.of("x"))).hasMessage("attempt to index nil with 'x'");
    assertThatThrownBy(() -> Ops.index(L, 1.0, 2.0)).hasMessage("attempt to index number with number");
  }

  @Test
  void newindex_function_receives_table_key_and_value() {
    Object[][] seen = new Object[1][];
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__newindex"), LuauFunction.host("ni", (th, a) -> {
      seen[0] = a;
      return LuauFunction.NONE;
    }));
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    Ops.setIndex(L, t, LuauString.of("a"), 1.0);
    assertThat(seen[0]).containsExactly(t, LuauString.of("a"), 1.0);
    assertThat(t.rawget(LuauString.of("a"))).isNull();
  }

  @Test
  void call_uses_the_call_metamethod_with_the_object_first() {
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__call"), LuauFunction.host("c", (th, a) -> new Object[] {(double) a.length}));
    LuauUserdata u = new LuauUserdata(null, mt);
    assertThat(Ops.call(L, u, new Object[] {1.0, 2.0})).containsExactly(3.0);
    assertThatThrownBy(() -> Ops.call(L, 5.0, LuauFunction.NONE)).hasMessage("attempt to call a number value");
  }

  @Test
  void comparisons_order_numbers_and_strings_and_reject_mixed_types() {
    assertThat(Ops.lessThan(L, 1.0, 2.0)).isTrue();
    assertThat(Ops.lessEqual(L, LuauString.of("b"), LuauString.of("a"))).isFalse();
    assertThatThrownBy(() -> Ops.lessThan(L, 1.0, LuauString.of("2")))
        .hasMessage("attempt to compare number < string");
  }

  @Test
  void equality_uses_eq_only_for_two_tables() {
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__eq"), LuauFunction.host("eq", (th, a) -> new Object[] {Boolean.TRUE}));
    LuauTable a = new LuauTable();
    LuauTable b = new LuauTable();
    a.setMetatable(mt);
    assertThat(Ops.equals(L, a, b)).isTrue();
    assertThat(Ops.equals(L, a, 1.0)).isFalse();
    assertThat(Ops.equals(L, LuauString.of("x"), LuauString.of("x"))).isTrue();
  }

  @Test
  void tostring_honours_tostring_but_not_name_as_luau_0_735() {
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__name"), LuauString.of("Thing"));
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    assertThat(Ops.tostring(L, t).toString()).startsWith("table: 0x");
    mt.rawset(LuauString.of("__tostring"), LuauFunction.host("ts", (th, a) -> new Object[] {LuauString.of("T!")}));
    assertThat(Ops.tostring(L, t).toString()).isEqualTo("T!");
    assertThat(Ops.tostring(L, 2.5).toString()).isEqualTo("2.5");
  }

  @Test
  void typeof_reads_type_from_userdata_metatables_only() {
    LuauTable mt = new LuauTable();
    mt.rawset(LuauString.of("__type"), LuauString.of("Instance"));
    assertThat(Ops.typeOf(L, new LuauUserdata(null, mt))).isEqualTo("Instance");
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    assertThat(Ops.typeOf(L, t)).isEqualTo("table");
  }

  @Test
  void concat_converts_numbers_and_rejects_nil() {
    assertThat(Ops.concat(L, 1.0, LuauString.of("x"))).isEqualTo(LuauString.of("1x"));
    assertThatThrownBy(() -> Ops.concat(L, LuauString.of("a"), null))
        .hasMessage("attempt to concatenate string with nil");
  }
}
