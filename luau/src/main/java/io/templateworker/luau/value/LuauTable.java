package io.templateworker.luau.value;

import io.templateworker.luau.errors.LuauError;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A Luau table: an array part for keys 1..n and an open-addressing hash part (linear probing) for the rest.
 *
 * <p>Setting an existing hash key to nil keeps the key in its slot (a "dead" entry) until the next rehash,
 * so {@code next} keeps working while a loop clears fields it has visited, as Lua allows.
 *
 * <p>Weak tables: when a metatable is set, its {@code __mode} string is read ('k' = weak keys, 'v' = weak
 * values, both allowed; later changes to {@code __mode} do not apply, as in Luau). A weak table moves its
 * entries into a {@link WeakStore}, which holds collectable keys/values (tables, functions, userdata,
 * threads, buffers) through {@link java.lang.ref.WeakReference}s; strings, numbers, booleans, integers and
 * vectors stay. An entry whose weak key or value the JVM collector has cleared is gone for lookups,
 * {@code next} and {@code #}. Strong tables only pay for this on slow paths: a miss in an empty hash part,
 * the {@code flags} check that already guarded frozen tables in rawset, and the end of a traversal. As in
 * Lua 5.1 and Luau (no ephemerons), a weak-keyed entry whose value refers to its own key keeps the key alive.
 */
public final class LuauTable {
  private static final Object[] EMPTY = new Object[0];
  /**
   * Memory accounting for table growth and long strings: the budget of the VM running on this Java thread,
   * bound by the embedding layer and by coroutine threads (a value does not know its VM). Unbound = not
   * accounted.
   */
  public static final ThreadLocal<LongConsumer> GROWTH_ACCOUNT = new ThreadLocal<>();
  /** Bytes charged per slot of growth: the reference plus a share of the boxed value it will hold. */
  static final long SLOT_CHARGE = 16;
  private static final LuauString MODE = LuauString.of("__mode");
  private static final byte FROZEN = 1;
  private static final byte WEAK = 2;

  private Object[] array = EMPTY;
  /** A recent border of the array part (see {@link #length()}); only a hint, checked before use. */
  private int borderHint;
  private Object[] keys = EMPTY;     // hash part; capacity is a power of two (or 0)
  private Object[] values = EMPTY;
  private int hashUsed;              // occupied key slots, including dead entries
  private LuauTable metatable;
  private byte flags;                // FROZEN | WEAK: one check takes rawset off its fast path for both
  private WeakStore weak;            // non-null only for weak tables, whose own parts then stay empty
  // as a metatable: known to have no __mode key, so setmetatable need not look (any new key clears it)
  private boolean knownNoMode;

  public LuauTable() {
  }

  public LuauTable(int arraySize, int hashSize) {
    if (arraySize > 0) {
      array = new Object[arraySize];
    }
    if (hashSize > 0) {
      int cap = Integer.highestOneBit(Math.max(4, hashSize * 2 - 1)) << 1;
      keys = new Object[cap];
      values = new Object[cap];
    }
  }

  // ---- reads -------------------------------------------------------------------------------------

  public Object rawget(int index) {
    Object[] a = array;
    if (index - 1 >= 0 && index - 1 < a.length) {
      return a[index - 1];
    }
    return hashGet(Double.valueOf(index));
  }

  public Object rawget(Object key) {
    if (key instanceof Double d) {
      double v = d;
      int i = (int) v;
      if (i == v) {
        Object[] a = array;
        if (i - 1 >= 0 && i - 1 < a.length) {
          return a[i - 1];
        }
        if (i == 0) {
          return hashGet(0.0); // -0.0 and 0.0 are one key
        }
      }
      return hashGet(key);
    }
    if (key == null) {
      return null;
    }
    return hashGet(key);
  }

  /** Lookup of a string key, the most common case (field access with a constant name). */
  public Object rawgetStr(LuauString key) {
    Object[] ks = keys;
    if (ks.length == 0) {
      return weakGet(key);
    }
    int mask = ks.length - 1;
    int i = key.hashCode() & mask;
    while (true) {
      Object k = ks[i];
      if (k == null) {
        return null;
      }
      if (k == key || key.equals(k)) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
  }

  private Object hashGet(Object key) {
    Object[] ks = keys;
    if (ks.length == 0) {
      return weakGet(key);
    }
    int mask = ks.length - 1;
    int i = hash(key) & mask;
    while (true) {
      Object k = ks[i];
      if (k == null) {
        return null;
      }
      if (k == key || k.equals(key)) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
  }

  /** The slow end of a lookup in an empty hash part: a weak table's entries live in its store. */
  private Object weakGet(Object key) {
    WeakStore w = weak;
    return w == null ? null : w.get(key);
  }

  static int hash(Object key) {
    if (key instanceof LuauString) {
      return key.hashCode();
    }
    if (key instanceof Double d) {
      return (int) ((Double.doubleToRawLongBits(d) * 0x9E3779B97F4A7C15L) >>> 32);
    }
    int h = key.hashCode();
    return h ^ (h >>> 16) ^ (h >>> 7);
  }

  private int findSlot(Object key) {
    Object[] ks = keys;
    if (ks.length == 0) {
      return -1;
    }
    int mask = ks.length - 1;
    int i = hash(key) & mask;
    while (true) {
      Object k = ks[i];
      if (k == null) {
        return -1;
      }
      if (k == key || k.equals(key)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  // ---- writes ------------------------------------------------------------------------------------

  public void rawset(int index, Object value) {
    if (flags != 0 && guardedSet(Double.valueOf(index), value)) {
      return;
    }
    Object[] a = array;
    if (index - 1 >= 0 && index - 1 < a.length) {
      a[index - 1] = value;
      return;
    }
    if (index == a.length + 1 && value != null) {
      appendGrow(value);
      return;
    }
    hashSet(Double.valueOf(index), value);
  }

  /**
   * A store under a string key, the most common case (field assignment with a constant name): an existing
   * key is found without the general key dispatch; anything else takes {@link #rawset(Object, Object)}.
   */
  public void rawsetStr(LuauString key, Object value) {
    Object[] ks = keys;
    if (flags == 0 && ks.length > 0) {
      int mask = ks.length - 1;
      int i = key.hashCode() & mask;
      while (true) {
        Object k = ks[i];
        if (k == null) {
          break;
        }
        if (k == key || key.equals(k)) {
          values[i] = value;
          return;
        }
        i = (i + 1) & mask;
      }
    }
    rawset(key, value);
  }

  public void rawset(Object key, Object value) {
    if (flags != 0 && guardedSet(key, value)) {
      return;
    }
    if (key instanceof Double d) {
      double v = d;
      int i = (int) v;
      if (i == v) {
        Object[] a = array;
        if (i - 1 >= 0 && i - 1 < a.length) {
          a[i - 1] = value;
          return;
        }
        if (i == a.length + 1 && i > 0 && value != null) {
          appendGrow(value);
          return;
        }
        if (i == 0) {
          key = 0.0; // normalise -0.0
        }
      } else if (v != v) {
        throw LuauError.runtime("table index is NaN");
      }
    } else if (key == null) {
      throw LuauError.runtime("table index is nil");
    }
    hashSet(key, value);
  }

  /**
   * The write path of frozen and weak tables: throws for a frozen table, stores into a weak table's store
   * (returning true), or returns false to let the ordinary path run.
   */
  private boolean guardedSet(Object key, Object value) {
    if ((flags & FROZEN) != 0) {
      throw LuauError.operation("attempt to modify a readonly table");
    }
    WeakStore w = weak;
    if (w == null) {
      return false;
    }
    knownNoMode = false;
    w.set(normaliseKey(key), value);
    return true;
  }

  /** A key as the hash part stores it: -0.0 as 0.0; nil and NaN rejected as Luau does. */
  private static Object normaliseKey(Object key) {
    if (key instanceof Double d) {
      double v = d;
      if (v != v) {
        throw LuauError.runtime("table index is NaN");
      }
      if (v == 0) {
        return 0.0;
      }
      return key;
    }
    if (key == null) {
      throw LuauError.runtime("table index is nil");
    }
    return key;
  }

  /** Appends at index array.length + 1, doubling the array and pulling following keys out of the hash. */
  private void appendGrow(Object value) {
    int old = array.length;
    int cap = old == 0 ? 4 : old * 2;
    chargeGrowth((cap - old) * SLOT_CHARGE);
    Object[] a = Arrays.copyOf(array, cap);
    a[old] = value;
    // the slot may also exist in the hash part as a dead or live entry: drop it
    if (hashUsed > 0) {
      for (int i = old; i < cap; i++) {
        Double k = Double.valueOf(i + 1);
        int slot = findSlot(k);
        if (slot >= 0) {
          if (i != old) {
            a[i] = values[slot];
          }
          values[slot] = null; // leave a dead key; removed at the next rehash
        }
      }
    }
    array = a;
  }

  private void hashSet(Object key, Object value) {
    Object[] ks = keys;
    if (ks.length > 0) {
      int mask = ks.length - 1;
      int i = hash(key) & mask;
      while (true) {
        Object k = ks[i];
        if (k == null) {
          break;
        }
        if (k == key || k.equals(key)) {
          values[i] = value;
          return;
        }
        i = (i + 1) & mask;
      }
    }
    if (value == null) {
      return; // assigning nil to an absent key: nothing to do
    }
    knownNoMode = false;
    if ((hashUsed + 1) * 4 > ks.length * 3) {
      rehash();
      ks = keys;
    }
    insertNew(key, value);
  }

  private void insertNew(Object key, Object value) {
    Object[] ks = keys;
    int mask = ks.length - 1;
    int i = hash(key) & mask;
    while (ks[i] != null) {
      i = (i + 1) & mask;
    }
    ks[i] = key;
    values[i] = value;
    hashUsed++;
  }

  /** Rebuilds the hash part without dead entries, sized for the live ones (at most 50% load after). */
  private void rehash() {
    Object[] oldKeys = keys;
    Object[] oldValues = values;
    int live = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null && oldValues[i] != null) {
        live++;
      }
    }
    int cap = 4;
    while (cap < (live + 1) * 2) {
      cap <<= 1;
    }
    chargeGrowth(2 * cap * SLOT_CHARGE);
    keys = new Object[cap];
    values = new Object[cap];
    hashUsed = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null && oldValues[i] != null) {
        insertNew(oldKeys[i], oldValues[i]);
      }
    }
  }

  // ---- length and iteration ----------------------------------------------------------------------

  /** The border, as Luau's {@code #} without {@code __len}: n with t[n] ~= nil and t[n+1] == nil. */
  public int length() {
    Object[] a = array;
    int n = a.length;
    if (n > 0 && a[n - 1] == null) {
      // the last border found, or the one after it (t[#t + 1] = v appends), is usually still a border
      int h = borderHint;
      if (h > 0 && h < n && a[h - 1] != null) {
        if (a[h] == null) {
          return h;
        }
        if (h + 1 < n && a[h + 1] == null) {
          borderHint = h + 1;
          return h + 1;
        }
      }
      // binary search for a border inside the array part
      int lo = 0; // a[lo-1] non-nil (or lo == 0)
      int hi = n; // a[hi-1] nil
      if (a[0] == null) {
        return 0;
      }
      lo = 1;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (a[mid - 1] == null) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      borderHint = lo;
      return lo;
    }
    if (hashUsed == 0) {
      WeakStore w = weak;
      return w == null ? n : w.length();
    }
    if (hashGet(Double.valueOf(n + 1)) == null) {
      return n;
    }
    // the sequence continues in the hash part (a table filled out of order): move it into the array part,
    // doubling, so later lengths and accesses are array-fast instead of walking the hash every time
    while (hashGet(Double.valueOf(array.length + 1)) != null) {
      ensureArray(array.length == 0 ? 4 : array.length * 2);
    }
    return length();
  }

  /** Array-part capacity; positions 0..capacity-1 of {@link #nextSlot} are array slots. */
  public int arrayCapacity() {
    return array.length;
  }

  /**
   * Index-based iteration for the interpreter: returns the first position >= {@code pos} that holds a
   * non-nil value, or -1. Positions below {@link #arrayCapacity()} are array slots, the rest hash slots.
   */
  public int nextSlot(int pos) {
    Object[] a = array;
    while (pos < a.length) {
      if (a[pos] != null) {
        return pos;
      }
      pos++;
    }
    Object[] vs = values;
    int h = pos - a.length;
    while (h < vs.length) {
      if (vs[h] != null) {
        return h + a.length;
      }
      h++;
    }
    WeakStore w = weak;
    return w == null ? -1 : w.nextSlot(pos);
  }

  /**
   * The key at a position {@link #nextSlot} returned. For a weak table, the key and value nextSlot found are
   * held until read here, so the collector cannot clear them between the two calls.
   */
  public Object keyAt(int pos) {
    int n = array.length;
    if (pos < n) {
      return Double.valueOf(pos + 1);
    }
    Object[] ks = keys;
    int h = pos - n;
    return h < ks.length ? ks[h] : weak.keyAt(h);
  }

  public Object valueAt(int pos) {
    Object[] a = array;
    if (pos < a.length) {
      return a[pos];
    }
    Object[] vs = values;
    int h = pos - a.length;
    return h < vs.length ? vs[h] : weak.valueAt(h);
  }

  /** {key, value} after {@code key} (null key = first); null at the end. */
  public Object[] next(Object key) {
    WeakStore w = weak;
    if (w != null) {
      return w.next(key == null ? null : normaliseNextKey(key));
    }
    int pos;
    if (key == null) {
      pos = 0;
    } else {
      pos = positionOf(key) + 1;
    }
    int p = nextSlot(pos);
    if (p < 0) {
      return null;
    }
    return new Object[] {keyAt(p), valueAt(p)};
  }

  private static Object normaliseNextKey(Object key) {
    return key instanceof Double d && d == 0 ? (Object) 0.0 : key;
  }

  private int positionOf(Object key) {
    if (key instanceof Double d) {
      double v = d;
      int i = (int) v;
      if (i == v && i >= 1 && i <= array.length) {
        return i - 1;
      }
      if (v == 0) {
        key = 0.0;
      }
    }
    int slot = findSlot(key);
    if (slot < 0) {
      throw LuauError.runtime("invalid key to 'next'");
    }
    return slot + array.length;
  }

  // ---- metatable, freezing -------------------------------------------------------------------------

  public LuauTable getMetatable() {
    return metatable;
  }

  /**
   * Sets the metatable and reads its {@code __mode} now (as Luau does): a mode with 'k' and/or 'v' makes
   * the table weak, moving its entries into a {@link WeakStore}; a metatable without one makes it strong
   * again. Changing {@code __mode} on the metatable afterwards has no effect until the next set.
   */
  public void setMetatable(LuauTable mt) {
    if ((flags & FROZEN) != 0) {
      throw LuauError.operation("attempt to modify a readonly table");
    }
    this.metatable = mt;
    int mode = 0;
    if (mt != null && !mt.knownNoMode) {
      // OOP code sets the same class metatable on every new object: remember that it has no __mode
      Object m = mt.rawgetStr(MODE);
      if (m == null) {
        mt.knownNoMode = true;
      } else {
        mode = modeOf(m);
      }
    }
    if (mode != 0 || weak != null) {
      WeakStore w = weak;
      int current = w == null ? 0 : (w.weakKeys ? 1 : 0) | (w.weakValues ? 2 : 0);
      if (mode != current) {
        changeMode(mode);
      }
    }
  }

  /** 1 = weak keys, 2 = weak values, from a {@code __mode} string ('k', 'v'); other values and letters: 0. */
  private static int modeOf(Object mode) {
    if (!(mode instanceof LuauString s)) {
      return 0;
    }
    int m = 0;
    for (int i = 0; i < s.length(); i++) {
      int c = s.byteAt(i);
      if (c == 'k') {
        m |= 1;
      } else if (c == 'v') {
        m |= 2;
      }
    }
    return m;
  }

  /** Moves every live entry into storage for the new mode (0 = the table's own strong parts). */
  private void changeMode(int mode) {
    Object[] pairs;
    WeakStore old = weak;
    if (old != null) {
      pairs = old.livePairs();
    } else {
      pairs = liveStrongPairs();
    }
    array = EMPTY;
    keys = EMPTY;
    values = EMPTY;
    hashUsed = 0;
    if (mode == 0) {
      weak = null;
      flags &= ~WEAK;
    } else {
      weak = new WeakStore((mode & 1) != 0, (mode & 2) != 0);
      flags |= WEAK;
    }
    for (int i = 0; i < pairs.length; i += 2) {
      rawset(pairs[i], pairs[i + 1]);
    }
  }

  private Object[] liveStrongPairs() {
    Object[] out = new Object[2 * (array.length + keys.length)];
    int n = 0;
    for (int p = nextSlot(0); p >= 0; p = nextSlot(p + 1)) {
      out[n++] = keyAt(p);
      out[n++] = valueAt(p);
    }
    return Arrays.copyOf(out, n);
  }

  /** Whether this table holds its collectable keys weakly ({@code __mode} with 'k'). */
  public boolean weakKeys() {
    WeakStore w = weak;
    return w != null && w.weakKeys;
  }

  /** Whether this table holds its collectable values weakly ({@code __mode} with 'v'). */
  public boolean weakValues() {
    WeakStore w = weak;
    return w != null && w.weakValues;
  }

  /**
   * Whether a value is collectable, i.e. held weakly by a weak table: tables, functions, userdata, threads
   * and buffers. Nil, booleans, numbers, integers, strings and vectors are not.
   */
  public static boolean isCollectable(Object v) {
    return WeakStore.collectable(v);
  }

  public boolean isFrozen() {
    return (flags & FROZEN) != 0;
  }

  /** Whether this table holds keys or values weakly (a {@code __mode} metatable): the collector may drop entries. */
  public boolean isWeak() {
    return (flags & WEAK) != 0;
  }

  public void freeze() {
    flags |= FROZEN;
  }

  public void clear() {
    if ((flags & FROZEN) != 0) {
      throw LuauError.operation("attempt to modify a readonly table");
    }
    if (weak != null) {
      weak.clear();
      return;
    }
    Arrays.fill(array, null);
    Arrays.fill(keys, null);
    Arrays.fill(values, null);
    hashUsed = 0;
  }

  /** A shallow copy with the same metatable, not frozen. */
  public LuauTable copy() {
    LuauTable t = new LuauTable();
    WeakStore w = weak;
    if (w != null) {
      // the copy shares the metatable, so it is weak in the same way
      t.weak = new WeakStore(w.weakKeys, w.weakValues);
      t.flags = WEAK;
      w.copyLiveTo(t.weak);
      t.metatable = metatable;
      return t;
    }
    t.array = array.clone();
    t.keys = keys.clone();
    t.values = values.clone();
    t.hashUsed = hashUsed;
    t.metatable = metatable;
    return t;
  }

  /** Where {@code key} sits in the hash part (for {@link #frozenCopy}), or -1 when it has no entry there. */
  public int hashSlotOf(Object key) {
    return weak == null ? findSlot(key) : -1;
  }

  /**
   * A new frozen table with this frozen table's entries and metatable, except that the hash slots {@code slots}
   * ({@link #hashSlotOf}) hold {@code values} (a null value leaves that key out, as nil does). Neither table can
   * change, so they share their key part: a host builds tables of one shape (a template's {@code ctx} per event)
   * with one copy of the values instead of hashing every key again.
   */
  public LuauTable frozenCopy(int[] slots, Object... values) {
    if ((flags & FROZEN) == 0 || weak != null || array.length > 0) {
      throw new IllegalStateException("frozenCopy needs a frozen table with a hash part only");
    }
    LuauTable t = new LuauTable();
    t.keys = keys;
    Object[] vs = this.values.clone();
    for (int i = 0; i < slots.length; i++) {
      vs[slots[i]] = values[i];
    }
    t.values = vs;
    t.hashUsed = hashUsed;
    t.metatable = metatable;
    t.flags = FROZEN;
    return t;
  }

  /** Ensures the array part holds at least n slots (table.create, constructors). */
  public void ensureArray(int n) {
    if (n > array.length && weak == null) { // a weak table has no array part: a size hint means nothing
      chargeGrowth((n - array.length) * SLOT_CHARGE);
      Object[] a = Arrays.copyOf(array, n);
      if (hashUsed > 0) {
        for (int i = array.length; i < n; i++) {
          int slot = findSlot(Double.valueOf(i + 1));
          if (slot >= 0) {
            a[i] = values[slot];
            values[slot] = null;
          }
        }
      }
      array = a;
    }
  }

  static void chargeGrowth(long bytes) {
    LongConsumer account = GROWTH_ACCOUNT.get();
    if (account != null) {
      account.accept(bytes);
    }
  }

  /**
   * Replaces string keys by their canonical instances ({@link LuauString#intern}), so lookups with the
   * compiler's names hit by identity. Equal strings hash alike, so every key keeps its slot.
   */
  public void internKeys() {
    Object[] ks = keys;
    for (int i = 0; i < ks.length; i++) {
      if (ks[i] instanceof LuauString str) {
        ks[i] = LuauString.intern(str);
      }
    }
  }

  /** Number of hash slots in use, including dead entries (for memory estimates and tests). */
  public int hashSlotsUsed() {
    WeakStore w = weak;
    return w == null ? hashUsed : w.slotsUsed();
  }

  @Override
  public String toString() {
    return "table: 0x" + String.format("%08x", System.identityHashCode(this));
  }
}
