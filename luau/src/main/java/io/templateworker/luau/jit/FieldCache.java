package io.templateworker.luau.jit;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Frame;
import io.templateworker.luau.vm.Meta;
import io.templateworker.luau.vm.Ops;

/**
 * The inline cache of one compiled {@code name} (global) or {@code lib.name} site (a field of a global, e.g.
 * {@code math.cos}; other fields take the short uncached path): remembers the value it last
 * read from a table whose contents can never change (frozen and not weak: the libraries, the environment's
 * fallback). {@code math.cos} then costs two identity checks and one miss in the script's own globals instead of
 * five hash lookups, two of them comparing the key's bytes. Anything else takes the uncached path, with exactly
 * the uncached results and errors.
 *
 * <p>Compiled code is shared by every VM that loaded the chunk, so one site may serve several threads: a cache
 * entry is one immutable object, replaced whole. A site that keeps meeting other tables stops caching.
 */
public final class FieldCache {
  /** Replacements after which a site stops caching (it reads several tables in turn). */
  private static final int MAX_REPLACEMENTS = 8;

  /** {@code table} is the frozen table read ({@code o.name}) or the frozen metatable of the globals (a global). */
  private record Hit(LuauTable table, Object value) {
  }

  private final LuauString key;
  private Hit hit;
  private int replacements;

  FieldCache(LuauString key) {
    this.key = key;
  }

  /**
   * The global {@code key}: the closure's own globals first; when they do not have it, the builtins behind their
   * frozen metatable, remembered.
   */
  public Object global(Frame f) {
    LuauTable env = f.closure.env;
    Object v = env.rawgetStr(key);
    if (v != null) {
      return v;
    }
    LuauTable mt = env.getMetatable();
    if (mt == null) {
      return null;
    }
    Hit h = hit;
    if (h != null && h.table == mt) {
      return h.value;
    }
    if (fixed(mt) && mt.rawgetStr(Meta.INDEX) instanceof LuauTable fallback && fixed(fallback)) {
      Object found = fallback.rawgetStr(key);
      if (found != null) {
        remember(mt, found);
        return found;
      }
    }
    return Ops.indexStr(f.L, env, key);
  }

  /** {@code o.key}. */
  public Object index(Object o, Frame f) {
    Hit h = hit;
    if (h != null && h.table == o) {
      return h.value;
    }
    if (o instanceof LuauTable t) {
      Object v = t.rawgetStr(key);
      if (v != null) {
        if (fixed(t)) {
          remember(t, v);
        }
        return v;
      }
      if (t.getMetatable() == null) {
        return null;
      }
    }
    return Ops.indexStr(f.L, o, key);
  }

  /** A table whose raw contents never change: frozen (for good) and not weak (the collector cannot drop entries). */
  private static boolean fixed(LuauTable t) {
    return t.isFrozen() && !t.isWeak();
  }

  private void remember(LuauTable table, Object value) {
    if (replacements < MAX_REPLACEMENTS) {
      replacements++;
      hit = new Hit(table, value);
    }
  }
}
