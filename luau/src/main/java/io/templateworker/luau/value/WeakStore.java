package io.templateworker.luau.value;

import io.templateworker.luau.errors.LuauError;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * The entries of a weak table ({@code __mode} with 'k' and/or 'v'): one open-addressing hash part (linear
 * probing, no array part) whose collectable keys and/or values are held through {@link WeakReference}s, so
 * the JVM collector decides when they go, as Luau's collector does for weak tables.
 *
 * <p>Kept apart from {@link LuauTable}'s own storage so strong tables pay nothing for weakness: a weak table
 * keeps its array and hash parts empty and routes every access here from its slow paths.
 *
 * <p>An entry whose weak key or weak value has been collected is dead: lookups, traversal and the border
 * skip it. Its key slot stays in place until the next rehash (which only an insertion of a new key
 * triggers), so probing chains stay intact and {@code next} keeps finding the slot of any key the caller
 * still holds while entries vanish around it. A collected key's strongly held value is released as soon as
 * the store notices the key's reference in its queue (on the next write or border).
 */
final class WeakStore {
  private static final Object[] EMPTY = new Object[0];

  final boolean weakKeys;
  final boolean weakValues;
  private Object[] keys = EMPTY;   // null = empty slot; a Ref = a weakly held key (cleared = dead)
  private Object[] values = EMPTY; // null = dead entry; a Ref = a weakly held value (cleared = dead)
  private int used;                // occupied key slots, including dead entries
  private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();

  // the key and value nextSlot found live, held strongly until keyAt/valueAt read them, so the collector
  // cannot clear them between the interpreter's nextSlot and its keyAt/valueAt calls. A pin the caller does
  // not read (a keys-only loop's value) lasts until the next traversal step, the end of one, or a rehash.
  private int pinnedPos = -1;
  private Object pinnedKey;
  private Object pinnedValue;

  WeakStore(boolean weakKeys, boolean weakValues) {
    this.weakKeys = weakKeys;
    this.weakValues = weakValues;
  }

  /** A weakly held key or value; {@code slot} tracks where a key reference currently lives. */
  private static final class Ref extends WeakReference<Object> {
    int slot;

    Ref(Object referent, ReferenceQueue<Object> queue, int slot) {
      super(referent, queue);
      this.slot = slot;
    }
  }

  /**
   * Whether a value can be collected and so is held weakly in a weak table: tables, functions, userdata,
   * threads and buffers. Nil, booleans, numbers, integers, strings and vectors are values and never vanish.
   */
  static boolean collectable(Object v) {
    return v != null && !(v instanceof LuauString || v instanceof Double || v instanceof Boolean
        || v instanceof Long || v instanceof LuauVector);
  }

  private static Object deref(Object slot) {
    return slot instanceof Ref r ? r.get() : slot;
  }

  // ---- reads -------------------------------------------------------------------------------------

  /** The value for a normalised key (no NaN, no nil, no -0.0); null when absent or collected. */
  Object get(Object key) {
    int i = find(key);
    return i < 0 ? null : deref(values[i]);
  }

  private int find(Object key) {
    Object[] ks = keys;
    if (ks.length == 0) {
      return -1;
    }
    int mask = ks.length - 1;
    int i = LuauTable.hash(key) & mask;
    while (true) {
      Object k = ks[i];
      if (k == null) {
        return -1;
      }
      if (k instanceof Ref r ? r.get() == key : (k == key || k.equals(key))) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** The border, as {@code #}: n with t[n] ~= nil and t[n+1] == nil (any border, as Luau allows). */
  int length() {
    expunge();
    if (get(1.0) == null) {
      return 0;
    }
    // unbounded search: double j while t[j] is set, then bisect between the last set i and the unset j
    long i = 1;
    long j = 2;
    while (get((double) j) != null) {
      i = j;
      if (j > Integer.MAX_VALUE / 2) {
        // a sequence that long cannot exist in an array of this size: walk linearly instead
        long k = 1;
        while (get((double) (k + 1)) != null) {
          k++;
        }
        return (int) k;
      }
      j *= 2;
    }
    while (j - i > 1) {
      long mid = (i + j) >>> 1;
      if (get((double) mid) == null) {
        j = mid;
      } else {
        i = mid;
      }
    }
    return (int) i;
  }

  // ---- writes ------------------------------------------------------------------------------------

  /** Sets a normalised key; nil removes (the key slot stays until the next rehash, for {@code next}). */
  void set(Object key, Object value) {
    expunge();
    int i = find(key);
    if (i >= 0) {
      values[i] = wrapValue(value);
      return;
    }
    if (value == null) {
      return;
    }
    if ((used + 1) * 4 > keys.length * 3) {
      rehash();
    }
    insertNew(key, value);
  }

  private Object wrapValue(Object value) {
    return weakValues && collectable(value) ? new Ref(value, null, -1) : value;
  }

  private void insertNew(Object key, Object value) {
    Object[] ks = keys;
    int mask = ks.length - 1;
    int i = LuauTable.hash(key) & mask;
    while (ks[i] != null) {
      i = (i + 1) & mask;
    }
    ks[i] = weakKeys && collectable(key) ? new Ref(key, cleared, i) : key;
    values[i] = wrapValue(value);
    used++;
  }

  /** Rebuilds the hash part with the live entries only, sized for them (at most 50% load after). */
  private void rehash() {
    Object[] oldKeys = keys;
    Object[] oldValues = values;
    int n = oldKeys.length;
    // read every live pair into strong locals first, so none can vanish between counting and re-inserting
    Object[] liveKeys = new Object[n];
    Object[] liveValues = new Object[n];
    int live = 0;
    for (int s = 0; s < n; s++) {
      Object k = deref(oldKeys[s]);
      Object v = deref(oldValues[s]);
      if (k != null && v != null) {
        liveKeys[live] = k;
        liveValues[live] = v;
        live++;
      }
    }
    int cap = 4;
    while (cap < (live + 1) * 2) {
      cap <<= 1;
    }
    LuauTable.chargeGrowth(2 * cap * LuauTable.SLOT_CHARGE);
    keys = new Object[cap];
    values = new Object[cap];
    used = 0;
    unpin(); // positions change: a pin no longer names its slot
    for (int s = 0; s < live; s++) {
      insertNew(liveKeys[s], liveValues[s]);
    }
    // drain references of the old generation: their slots no longer exist
    while (cleared.poll() != null) {
      // nothing to release, the old arrays are garbage
    }
  }

  /** Releases the values of entries whose weak key the collector has cleared since the last call. */
  private void expunge() {
    Reference<?> r;
    while ((r = cleared.poll()) != null) {
      int s = ((Ref) r).slot;
      if (s >= 0 && s < keys.length && keys[s] == r) {
        values[s] = null;
      }
    }
  }

  void clear() {
    Arrays.fill(keys, null);
    Arrays.fill(values, null);
    used = 0;
    unpin();
  }

  // ---- iteration ---------------------------------------------------------------------------------

  /** The first slot >= pos whose key and value are both live, pinning them for keyAt/valueAt; -1 at the end. */
  int nextSlot(int pos) {
    Object[] ks = keys;
    Object[] vs = values;
    for (int i = pos; i < ks.length; i++) {
      Object k = deref(ks[i]);
      if (k == null) {
        continue;
      }
      Object v = deref(vs[i]);
      if (v != null) {
        pinnedPos = i;
        pinnedKey = k;
        pinnedValue = v;
        return i;
      }
    }
    unpin();
    return -1;
  }

  Object keyAt(int pos) {
    Object k = pinnedKey;
    if (pos == pinnedPos && k != null) {
      pinnedKey = null;
      return k;
    }
    return deref(keys[pos]);
  }

  Object valueAt(int pos) {
    Object v = pinnedValue;
    if (pos == pinnedPos && v != null) {
      pinnedValue = null;
      return v;
    }
    return deref(values[pos]);
  }

  /** {key, value} after {@code key} (null = first); null at the end. */
  Object[] next(Object key) {
    int pos = 0;
    if (key != null) {
      int slot = find(key);
      if (slot < 0) {
        throw LuauError.runtime("invalid key to 'next'");
      }
      pos = slot + 1;
    }
    int p = nextSlot(pos);
    if (p < 0) {
      return null;
    }
    Object[] kv = {pinnedKey, pinnedValue};
    unpin();
    return kv;
  }

  private void unpin() {
    pinnedPos = -1;
    pinnedKey = null;
    pinnedValue = null;
  }

  /** Occupied slots including dead entries (for memory estimates). */
  int slotsUsed() {
    return used;
  }

  /** Copies the live entries into {@code into} (table.clone of a weak table). */
  void copyLiveTo(WeakStore into) {
    Object[] ks = keys;
    Object[] vs = values;
    for (int i = 0; i < ks.length; i++) {
      Object k = deref(ks[i]);
      Object v = deref(vs[i]);
      if (k != null && v != null) {
        into.set(k, v);
      }
    }
  }

  /** The live entries as alternating key, value pairs (for turning the table back into a strong one). */
  Object[] livePairs() {
    Object[] ks = keys;
    Object[] vs = values;
    Object[] out = new Object[2 * ks.length];
    int n = 0;
    for (int i = 0; i < ks.length; i++) {
      Object k = deref(ks[i]);
      Object v = deref(vs[i]);
      if (k != null && v != null) {
        out[n++] = k;
        out[n++] = v;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
