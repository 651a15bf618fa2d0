package io.templateworker.luau.embed;

import io.templateworker.luau.compiler.Compiler;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.lib.StandardLibrary;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.VmOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry points for hosts: compile source into an immutable {@link Chunk} (shareable across VMs and tenants),
 * create VMs with the standard library, and convert values between Java and Luau.
 */
public final class Luau {
  private Luau() {
  }

  /**
   * Parses and compiles {@code source}. Throws {@link CompileError} whose message lists every problem as
   * "chunk:line:col: message".
   */
  public static Chunk compile(byte[] source, String chunkName) throws CompileError {
    return Compiler.compile(source, chunkName);
  }

  public static Chunk compile(String source, String chunkName) throws CompileError {
    return compile(source.getBytes(java.nio.charset.StandardCharsets.UTF_8), chunkName);
  }

  /** A new VM with the given options. */
  public static LuauVM newVM(VmOptions options) {
    return LuauVM.create(options);
  }

  /** A fresh globals table holding the whole standard library. */
  public static LuauTable standardGlobals(LuauVM vm) {
    LuauTable g = new LuauTable();
    StandardLibrary.install(vm, g);
    return g;
  }

  /** Compiles and runs {@code source} on the VM's main thread with {@code env} as globals. */
  public static Object[] run(LuauVM vm, LuauTable env, String source, String chunkName) {
    LuauFunction f = vm.load(compile(source, chunkName), env);
    return f.call(vm.mainThread(), LuauFunction.NONE);
  }

  /**
   * Java to Luau: null, Boolean, numbers (as double; Long stays an integer only when asked via
   * {@link #integer}), String, byte[] (a buffer), List (array table), Map (hash table), Luau values as is.
   */
  public static Object toLuau(Object v) {
    if (v == null || v instanceof Boolean || v instanceof Double || v instanceof LuauString
        || v instanceof LuauTable || v instanceof LuauFunction || v instanceof LuauBuffer) {
      return v;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      return LuauString.of(s);
    }
    if (v instanceof byte[] b) {
      return new LuauBuffer(b.clone());
    }
    if (v instanceof List<?> list) {
      LuauTable t = new LuauTable(list.size(), 0);
      for (int i = 0; i < list.size(); i++) {
        t.rawset(i + 1, toLuau(list.get(i)));
      }
      return t;
    }
    if (v instanceof Map<?, ?> map) {
      LuauTable t = new LuauTable(0, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        t.rawset(toLuau(e.getKey()), toLuau(e.getValue()));
      }
      return t;
    }
    return v;
  }

  /** A Luau integer value (the {@code 123i} type). */
  public static Object integer(long v) {
    return v;
  }

  /**
   * Luau to Java: strings become String (UTF-8), numbers Double, integers Long, tables a List when they are a
   * proper sequence or else a Map (recursively, cycles are not followed), other values as is.
   */
  public static Object toJava(Object v) {
    return toJava(v, 0);
  }

  private static Object toJava(Object v, int depth) {
    if (v instanceof LuauString s) {
      return s.toString();
    }
    if (v instanceof LuauTable t) {
      if (depth > 100) {
        throw new IllegalArgumentException("table nesting deeper than 100 (cycle?) cannot be converted");
      }
      int n = t.length();
      int count = 0;
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        count++;
      }
      if (n == count && n > 0) {
        List<Object> list = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          list.add(toJava(t.rawget(i), depth + 1));
        }
        return list;
      }
      Map<Object, Object> map = new LinkedHashMap<>();
      for (int p = t.nextSlot(0); p >= 0; p = t.nextSlot(p + 1)) {
        map.put(toJava(t.keyAt(p), depth + 1), toJava(t.valueAt(p), depth + 1));
      }
      return map;
    }
    return v;
  }

  /** tostring-like display of a value without metamethods (for logs and the REPL). */
  public static String display(Object v) {
    if (v instanceof Double d) {
      return Values.numberToString(d);
    }
    return v == null ? "nil" : v.toString();
  }
}
