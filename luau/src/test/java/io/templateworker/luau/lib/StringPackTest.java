package io.templateworker.luau.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StringPackTest {

  private static Object[] luau(Object... args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i] instanceof String s ? LuauString.of(s) : args[i] instanceof Integer n ? (Object) (double) n : args[i];
    }
    return out;
  }

  static String packHex(String format, Object... values) {
    Object[] all = new Object[values.length + 1];
    all[0] = format;
    System.arraycopy(values, 0, all, 1, values.length);
    return HexFormat.of().formatHex(StringPack.pack(null, luau(all)).bytes());
  }

  static Stream<Arguments> packs() {
    return Stream.of(
        Arguments.of("b", new Object[] {-1}, "ff"),
        Arguments.of("B", new Object[] {255}, "ff"),
        Arguments.of("h", new Object[] {-2}, "feff"),
        Arguments.of(">h", new Object[] {1}, "0001"),
        Arguments.of("<H", new Object[] {0x1234}, "3412"),
        Arguments.of("i", new Object[] {1}, "01000000"),
        Arguments.of(">i3", new Object[] {0x010203}, "010203"),
        Arguments.of("j", new Object[] {-1}, "ffffffff"),
        Arguments.of("J", new Object[] {7}, "07000000"),
        Arguments.of("T", new Object[] {7}, "07000000"),
        Arguments.of("l", new Object[] {-1}, "ffffffffffffffff"),
        Arguments.of("L", new Object[] {1}, "0100000000000000"),
        Arguments.of("i16", new Object[] {-1}, "ff".repeat(16)),
        Arguments.of("I10", new Object[] {1}, "01" + "00".repeat(9)),
        Arguments.of("f", new Object[] {1.5}, "0000c03f"),
        Arguments.of(">d", new Object[] {1.0}, "3ff0000000000000"),
        Arguments.of("n", new Object[] {-2.0}, "00000000000000c0"),
        Arguments.of("z", new Object[] {"hi"}, "686900"),
        Arguments.of("s1", new Object[] {"hi"}, "026869"),
        Arguments.of("s", new Object[] {"a"}, "0100000061"),
        Arguments.of("c4", new Object[] {"ab"}, "61620000"),
        Arguments.of("bxb", new Object[] {1, 2}, "010002"),
        Arguments.of("!4 b i", new Object[] {1, 2}, "0100000002000000"),
        Arguments.of("!4 bXi", new Object[] {1}, "01000000"),
        Arguments.of("b i", new Object[] {1, 2}, "0102000000"));
  }

  @ParameterizedTest(name = "pack({0})")
  @MethodSource("packs")
  void packs_like_lua_53_with_luau_sizes(String format, Object[] values, String hex) {
    assertThat(packHex(format, values)).isEqualTo(hex);
  }

  @Test
  void unpack_inverts_pack_and_returns_next_position() {
    String fmt = "<i4 h B d z s2 c3";
    Object[] values = luau(-123456, -300, 200, 3.25, "zero", "len", "abc");
    Object[] all = new Object[values.length + 1];
    all[0] = LuauString.of(fmt);
    System.arraycopy(values, 0, all, 1, values.length);
    LuauString packed = StringPack.pack(null, all);
    Object[] r = StringPack.unpack(luau(fmt, packed));
    assertThat(r).hasSize(values.length + 1);
    for (int i = 0; i < values.length; i++) {
      assertThat(r[i]).isEqualTo(values[i]);
    }
    assertThat(r[values.length]).isEqualTo((double) (packed.length() + 1));
  }

  @Test
  void unpack_sign_extends_and_reads_unsigned() {
    assertThat(StringPack.unpack(new Object[] {LuauString.of("b"), LuauString.wrap(new byte[] {(byte) 0xff})})[0]).isEqualTo(-1.0);
    assertThat(StringPack.unpack(new Object[] {LuauString.of("B"), LuauString.wrap(new byte[] {(byte) 0xff})})[0]).isEqualTo(255.0);
    assertThat(StringPack.unpack(new Object[] {LuauString.of("L"), LuauString.wrap(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1})})[0])
        .isEqualTo(18446744073709551615.0);
    assertThat(StringPack.unpack(new Object[] {LuauString.of("i3"), LuauString.wrap(new byte[] {0, 0, (byte) 0x80}), 1.0})[0])
        .isEqualTo(-8388608.0);
  }

  @Test
  void unpack_from_a_position() {
    Object[] r = StringPack.unpack(luau("B", "abc", 2));
    assertThat(r).containsExactly(98.0, 3.0);
    r = StringPack.unpack(luau("B", "abc", -1));
    assertThat(r).containsExactly(99.0, 4.0);
  }

  @Test
  void packsize_counts_fixed_formats() {
    assertThat(StringPack.packsize(luau("i4 i8 d"))).isEqualTo(20.0);
    assertThat(StringPack.packsize(luau("!8 b d"))).isEqualTo(16.0);
    assertThat(StringPack.packsize(luau("c10 x"))).isEqualTo(11.0);
    assertThat(StringPack.packsize(luau("h l j"))).isEqualTo(14.0);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("b", 200)), "invalid argument #2 to 'pack' (integer overflow)"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("B", -1)), "invalid argument #2 to 'pack' (unsigned overflow)"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("q", 1)), "invalid format option 'q'"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("i17", 1)), "integral size (17) out of limits [1,16]"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("c", "a")), "missing size for format option 'c'"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("c1", "ab")), "invalid argument #2 to 'pack' (string longer than given size)"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("z", "a\0b")), "invalid argument #2 to 'pack' (string contains zeros)"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("s1", "x".repeat(256))), "invalid argument #2 to 'pack' (string length does not fit in given size)"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("!3 i", 1)), "invalid argument #1 to 'pack' (format asks for alignment not power of 2)"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("X")), "invalid argument #1 to 'pack' (invalid next option for option 'X')"),
        Arguments.of((Runnable) () -> StringPack.pack(null, luau("i")), "invalid argument #2 to 'pack' (number expected, got nil)"),
        Arguments.of((Runnable) () -> StringPack.packsize(luau("s")), "invalid argument #1 to 'packsize' (variable-length format)"),
        Arguments.of((Runnable) () -> StringPack.unpack(luau("i4", "abc")), "invalid argument #2 to 'unpack' (data string too short)"),
        Arguments.of((Runnable) () -> StringPack.unpack(luau("z", "abc")), "invalid argument #2 to 'unpack' (unfinished string for format 'z')"),
        Arguments.of((Runnable) () -> StringPack.unpack(luau("b", "abc", 5)), "invalid argument #3 to 'unpack' (initial position out of string)"),
        Arguments.of((Runnable) () -> StringPack.unpack(new Object[] {LuauString.of("i9"), LuauString.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1})}),
            "9-byte integer does not fit into Lua Integer"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("errors")
  void errors_use_luau_messages(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(LuauError.class)
        .extracting(e -> ((LuauError) e).value().toString())
        .isEqualTo(message);
  }
}
