package io.templateworker.luau.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.lib.Args;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import org.junit.jupiter.api.Test;

class ArgsTest {

  @Test
  void type_mismatch_messages_name_position_function_and_types() {
    assertThatThrownBy(() -> Args.checkTable(new Object[] {null}, 0, "insert"))
        .hasMessage("invalid argument #1 to 'insert' (table expected, got nil)");
    assertThatThrownBy(() -> Args.checkTable(new Object[0], 0, "insert"))
        .hasMessage("missing argument #1 to 'insert' (table expected)");
    assertThatThrownBy(() -> Args.checkNumber(new Object[] {1.0, new LuauTable()}, 1, "max"))
        .hasMessage("invalid argument #2 to 'max' (number expected, got table)");
  }

  @Test
  void numbers_and_strings_coerce_like_luau() {
    assertThat(Args.checkNumber(new Object[] {LuauString.of(" 10 ")}, 0, "f")).isEqualTo(10.0);
    assertThat(Args.checkString(new Object[] {2.5}, 0, "f")).isEqualTo(LuauString.of("2.5"));
    assertThat(Args.checkInteger(new Object[] {3.9}, 0, "f")).isEqualTo(3L);
    assertThat(Args.optInteger(new Object[] {null}, 0, "f", 7)).isEqualTo(7L);
    assertThat(Args.arg(new Object[0], 3)).isNull();
  }
}
