package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Meta;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.I64;
import io.templateworker.runtime.values.Lazy;
import io.templateworker.runtime.values.Opaque;
import io.templateworker.runtime.values.U64;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * {@code @antiraid/typesext}: {@code U64(v?)}, {@code I64(v?)}, {@code bitu64} (band, bnot, bor, bxor, btest,
 * extract, lrotate, lshift, replace, rrotate, rshift, countlz, countrz, byteswap over U64s),
 * {@code randstring(len)} (1..255 alphanumerics from a secure random source), {@code Vfs} ({@code newoverlay};
 * instances have {@code createrequirefunction}), {@code createglobalproxy()}, {@code newlazystringmap(t)} (also
 * {@code createvfs}), {@code castlazyvaluetolazymap(lazy)} and {@code castopaquevaluetopaquemap(opaque)}.
 */
final class TypesextModule {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private TypesextModule() {
  }

  static LuauTable create(LuauState state) {
    LuauTable vfs = new ModuleTable().value("newoverlay", Vfs.NEW_OVERLAY).build();
    return new ModuleTable()
        .fn("U64", (L, a) -> new Object[] {U64.wrap(HostArgs.isNil(a, 0) ? 0 : U64.toBits(a, 0, "U64", "value"))})
        .fn("I64", (L, a) -> new Object[] {I64.wrap(HostArgs.isNil(a, 0) ? 0 : I64.toLong(a, 0, "I64", "value"))})
        .value("bitu64", bitu64())
        .fn("randstring", (L, a) -> {
          Object v = HostArgs.arg(a, 0);
          long n = HostArgs.isWhole(v) ? HostArgs.integer(a, 0, "randstring", "length", Long.MIN_VALUE, Long.MAX_VALUE) : -1;
          if (!HostArgs.isWhole(v)) {
            throw HostArgs.type(a, 0, "randstring", "length", "number");
          }
          if (n <= 0 || n > 255) {
            throw LuauError.runtime("Length must be greater than 0 and less than 256");
          }
          byte[] out = new byte[(int) n];
          for (int i = 0; i < n; i++) {
            out[i] = (byte) ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length()));
          }
          return new Object[] {LuauString.wrap(out)};
        })
        .value("Vfs", vfs)
        .fn("createglobalproxy", (L, a) -> new Object[] {globalProxy(state)})
        .fn("newlazystringmap", (L, a) -> new Object[] {lazyStringMap(a, "newlazystringmap")})
        .fn("createvfs", (L, a) -> new Object[] {lazyStringMap(a, "createvfs")})
        // templating-types (after REF) moved @antiraid/luau's format here; the same pretty printer
        .fn("fmtpretty", (L, a) -> new Object[] {LuauString.of(PrettyFormat.values(L, a))})
        .fn("castlazyvaluetolazymap", (L, a) -> {
          Lazy.Source src = Lazy.sourceOf(HostArgs.arg(a, 0));
          if (src == null) {
            throw HostArgs.type(a, 0, "castlazyvaluetolazymap", "value", "Lazy");
          }
          Map<String, String> map = stringMap(src.toKhronos());
          if (map == null) {
            throw HostArgs.bad(0, "castlazyvaluetolazymap", "value", "the Lazy's value is not a map of strings to strings");
          }
          return new Object[] {Lazy.wrap(KhronosLuau.stringMapSource(map))};
        })
        .fn("castopaquevaluetopaquemap", (L, a) -> {
          KhronosValue v = Opaque.valueOf(HostArgs.arg(a, 0));
          if (v == null) {
            throw HostArgs.type(a, 0, "castopaquevaluetopaquemap", "value", "Opaque");
          }
          Map<String, String> map = stringMap(v);
          if (map == null) {
            throw HostArgs.bad(0, "castopaquevaluetopaquemap", "value", "the Opaque's value is not a map of strings to strings");
          }
          return new Object[] {Opaque.wrap(new KhronosValue.LazyStringMap(map))};
        })
        .build();
  }

  /** A string-to-string map held by a KhronosValue (a LazyStringMap, or a Map of Texts), else null. */
  static Map<String, String> stringMap(KhronosValue v) {
    if (v instanceof KhronosValue.LazyStringMap m) {
      return m.map();
    }
    if (v instanceof KhronosValue.MapValue m) {
      Map<String, String> out = new LinkedHashMap<>();
      for (KhronosValue.Entry e : m.entries()) {
        if (!(e.key() instanceof KhronosValue.Text k) || !(e.value() instanceof KhronosValue.Text t)) {
          return null;
        }
        out.put(k.value(), t.value());
      }
      return out;
    }
    return null;
  }

  private static Object lazyStringMap(Object[] a, String fname) {
    LuauTable t = HostArgs.table(a, 0, fname, "value");
    Map<String, String> map = new LinkedHashMap<>();
    for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
      if (!(t.keyAt(p) instanceof LuauString k) || !(t.valueAt(p) instanceof LuauString v)) {
        throw HostArgs.bad(0, fname, "value", "table of strings to strings expected, found a "
            + HostArgs.typeName(t.keyAt(p)) + " key with a " + HostArgs.typeName(t.valueAt(p)) + " value");
      }
      map.put(k.toString(), v.toString());
    }
    return Lazy.wrap(KhronosLuau.stringMapSource(map));
  }

  /**
   * A global table for an isolate: reads fall back to the VM's shared builtins (standard library, task, require,
   * host globals), writes stay in the proxy (so isolates never change each other's globals); {@code _G} is the
   * proxy, iteration lists its own keys then the builtins', and the metatable is locked.
   */
  private static LuauTable globalProxy(LuauState state) {
    LuauTable proxy = new LuauTable();
    LuauTable builtins = state.builtins();
    proxy.rawset(LuauString.of("_G"), proxy);
    LuauTable mt = new LuauTable();
    mt.rawset(Meta.INDEX, builtins);
    mt.rawset(Meta.ITER, LuauFunction.host("__iter", (L, a) -> {
      LuauTable self = HostArgs.table(a, 0, "__iter", "self");
      boolean[] inBuiltins = {false};
      LuauFunction next = LuauFunction.host("next", (T, b) -> {
        Object key = HostArgs.arg(b, 1);
        if (!inBuiltins[0]) {
          Object[] kv = self.next(key);
          if (kv != null) {
            return kv;
          }
          inBuiltins[0] = true;
          key = null;
        }
        while (true) {
          Object[] kv = builtins.next(key);
          if (kv == null) {
            return new Object[] {null};
          }
          if (self.rawget(kv[0]) == null) {
            return kv; // a global the proxy shadows is listed once, from the proxy
          }
          key = kv[0];
        }
      });
      return new Object[] {next, self, null};
    }));
    mt.rawset(Meta.METATABLE, false);
    mt.freeze();
    proxy.setMetatable(mt);
    return proxy;
  }

  // ---- bitu64 ------------------------------------------------------------------------------------------

  private static LuauTable bitu64() {
    return new ModuleTable()
        .fn("band", fold("band", (x, y) -> x & y, -1L))
        .fn("bor", fold("bor", (x, y) -> x | y, 0L))
        .fn("bxor", fold("bxor", (x, y) -> x ^ y, 0L))
        .fn("btest", (L, a) -> new Object[] {a.length == 0 || u64(fold("btest", (x, y) -> x & y, -1L), L, a) != 0})
        .fn("bnot", (L, a) -> new Object[] {U64.wrap(~U64.toBits(a, 0, "bnot", "n"))})
        .fn("extract", (L, a) -> {
          long n = U64.toBits(a, 0, "extract", "n");
          int[] fw = fieldWidth(a, 1, "extract");
          long mask = fw[1] == 64 ? -1L : (1L << fw[1]) - 1;
          return new Object[] {U64.wrap((n >>> fw[0]) & mask)};
        })
        .fn("replace", (L, a) -> {
          long n = U64.toBits(a, 0, "replace", "n");
          long r = HostArgs.integer(a, 1, "replace", "v", 0, 255);
          if (r != 0 && r != 1) {
            throw LuauError.runtime("R must be 0 or 1");
          }
          int[] fw = fieldWidth(a, 2, "replace");
          long mask = fw[1] == 64 ? -1L : (1L << fw[1]) - 1;
          return new Object[] {U64.wrap((n & ~(mask << fw[0])) | ((r & mask) << fw[0]))};
        })
        .fn("lrotate", (L, a) -> new Object[] {U64.wrap(Long.rotateLeft(U64.toBits(a, 0, "lrotate", "n"), (int) Math.floorMod(shift(a, "lrotate"), 64L)))})
        .fn("rrotate", (L, a) -> new Object[] {U64.wrap(Long.rotateRight(U64.toBits(a, 0, "rrotate", "n"), (int) Math.floorMod(shift(a, "rrotate"), 64L)))})
        .fn("lshift", (L, a) -> new Object[] {U64.wrap(shiftLeft(U64.toBits(a, 0, "lshift", "n"), shift(a, "lshift")))})
        .fn("rshift", (L, a) -> new Object[] {U64.wrap(shiftLeft(U64.toBits(a, 0, "rshift", "n"), -shift(a, "rshift")))})
        .fn("countlz", (L, a) -> new Object[] {(double) Long.numberOfLeadingZeros(U64.toBits(a, 0, "countlz", "n"))})
        .fn("countrz", (L, a) -> new Object[] {(double) Long.numberOfTrailingZeros(U64.toBits(a, 0, "countrz", "n"))})
        .fn("byteswap", (L, a) -> new Object[] {U64.wrap(Long.reverseBytes(U64.toBits(a, 0, "byteswap", "n")))})
        .build();
  }

  private static HostFunction fold(String fname, LongBinaryOperator op, long identity) {
    return (L, a) -> {
      if (a.length == 0) {
        return new Object[] {U64.wrap(0)};
      }
      long r = U64.toBits(a, 0, fname, "x1");
      for (int i = 1; i < a.length; i++) {
        r = op.applyAsLong(r, U64.toBits(a, i, fname, "x" + (i + 1)));
      }
      return new Object[] {U64.wrap(r)};
    };
  }

  private static long u64(HostFunction f, io.templateworker.luau.vm.LuauThread L, Object[] a) {
    return ((U64) ((io.templateworker.luau.value.LuauUserdata) f.call(L, a)[0]).payload()).bits();
  }

  /** Rust's wrapping shifts: the amount is taken mod 64; a negative amount shifts the other way. */
  private static long shiftLeft(long n, long by) {
    int amount = (int) Math.floorMod(Math.abs(by), 64L);
    return by >= 0 ? n << amount : n >>> amount;
  }

  private static long shift(Object[] a, String fname) {
    return HostArgs.integer(a, 1, fname, "i", Long.MIN_VALUE + 1, Long.MAX_VALUE);
  }

  /** Field {@code f} and width {@code w} (default 1) with upstream's checks. */
  private static int[] fieldWidth(Object[] a, int i, String fname) {
    long f = HostArgs.integer(a, i, fname, "field", 0, 0xffff_ffffL);
    long w = HostArgs.isNil(a, i + 1) ? 1 : HostArgs.integer(a, i + 1, fname, "width", 0, 0xffff_ffffL);
    if (f > 63) {
      throw LuauError.runtime("F must be less than 64");
    }
    if (w == 0 || f + w - 1 > 63) {
      throw LuauError.runtime("F + W must be less than 64");
    }
    return new int[] {(int) f, (int) w};
  }
}
