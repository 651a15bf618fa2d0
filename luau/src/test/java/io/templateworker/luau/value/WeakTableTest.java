package io.templateworker.luau.value;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.sandbox.Limits;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Weak tables ({@code __mode}): entries whose weak key or value the JVM collector clears disappear, everything
 * else stays. Collection is forced with {@link System#gc()} in a bounded loop; a test fails if the entry is
 * still there after the last attempt.
 */
class WeakTableTest {
  private static final LuauString MODE = LuauString.of("__mode");
  private static final int GC_ATTEMPTS = 50;

  private static LuauTable weak(String mode) {
    LuauTable mt = new LuauTable();
    mt.rawset(MODE, LuauString.of(mode));
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    return t;
  }

  /** Runs the collector until {@code done} holds or the attempts run out; returns whether it held. */
  private static boolean collectUntil(BooleanSupplier done) {
    for (int i = 0; i < GC_ATTEMPTS; i++) {
      if (done.getAsBoolean()) {
        return true;
      }
      System.gc();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return done.getAsBoolean();
  }

  /** Forces at least one full collection: waits until a fresh, unreachable object has been cleared. */
  private static void forceCollection() {
    WeakReference<Object> sentinel = new WeakReference<>(new Object());
    assertThat(collectUntil(() -> sentinel.get() == null)).as("the JVM collected a sentinel").isTrue();
  }

  private static List<Object> keys(LuauTable t) {
    List<Object> out = new ArrayList<>();
    for (Object[] kv = t.next(null); kv != null; kv = t.next(kv[0])) {
      out.add(kv[0]);
    }
    return out;
  }

  /** Fills a table's entries in a separate frame, so no local of the test keeps the dropped objects. */
  private static void putDroppedValues(LuauTable t, int n) {
    for (int i = 0; i < n; i++) {
      t.rawset(LuauString.of("dropped" + i), new LuauTable());
    }
  }

  private static void putDroppedKeys(LuauTable t, int n) {
    for (int i = 0; i < n; i++) {
      t.rawset(new LuauTable(), LuauString.of("v" + i));
    }
  }

  @Test
  void weak_values_lose_collected_values_and_keep_live_and_non_collectable_ones() {
    LuauTable t = weak("v");
    LuauTable live = new LuauTable();
    t.rawset(LuauString.of("live"), live);
    t.rawset(LuauString.of("str"), LuauString.of("a string value"));
    t.rawset(LuauString.of("num"), 42.0);
    t.rawset(LuauString.of("int"), 7L);
    t.rawset(LuauString.of("bool"), Boolean.TRUE);
    putDroppedValues(t, 20);
    t.rawset(1.0, new LuauTable()); // an array-style entry with a dropped value

    assertThat(collectUntil(() -> t.rawget(LuauString.of("dropped0")) == null && t.rawget(1) == null))
        .as("dropped values vanish").isTrue();
    forceCollection();

    assertThat(t.rawget(LuauString.of("live"))).isSameAs(live);
    assertThat(t.rawgetStr(LuauString.of("str"))).isEqualTo(LuauString.of("a string value"));
    assertThat(t.rawget(LuauString.of("num"))).isEqualTo(42.0);
    assertThat(t.rawget(LuauString.of("int"))).isEqualTo(7L);
    assertThat(t.rawget(LuauString.of("bool"))).isEqualTo(Boolean.TRUE);
    assertThat(t.length()).as("# does not count the collected t[1]").isZero();
    assertThat(keys(t)).containsExactlyInAnyOrder(
        LuauString.of("live"), LuauString.of("str"), LuauString.of("num"), LuauString.of("int"),
        LuauString.of("bool"));
  }

  @Test
  void weak_keys_lose_entries_whose_key_was_collected_but_keep_string_keys_with_table_values() {
    LuauTable t = weak("k");
    LuauTable liveKey = new LuauTable();
    t.rawset(liveKey, LuauString.of("kept"));
    LuauTable valueOfStringKey = new LuauTable();
    t.rawset(LuauString.of("name"), valueOfStringKey);
    t.rawset(LuauString.of("temp"), new LuauTable()); // values are strong in a 'k' table
    putDroppedKeys(t, 20);

    assertThat(collectUntil(() -> keys(t).size() == 3)).as("entries with dropped keys vanish").isTrue();
    assertThat(t.rawget(liveKey)).isEqualTo(LuauString.of("kept"));
    assertThat(t.rawget(LuauString.of("name"))).isSameAs(valueOfStringKey);
    assertThat(t.rawget(LuauString.of("temp"))).isInstanceOf(LuauTable.class);
  }

  @Test
  void kv_mode_drops_an_entry_when_either_side_is_collected() {
    LuauTable t = weak("kv");
    LuauTable liveKey = new LuauTable();
    LuauTable liveValue = new LuauTable();
    t.rawset(liveKey, liveValue);
    t.rawset(LuauString.of("s"), LuauString.of("t"));
    putDroppedKeys(t, 10);
    putDroppedValues(t, 10);

    assertThat(collectUntil(() -> keys(t).size() == 2)).isTrue();
    assertThat(t.rawget(liveKey)).isSameAs(liveValue);
    assertThat(t.rawget(LuauString.of("s"))).isEqualTo(LuauString.of("t"));
    assertThat(t.weakKeys()).isTrue();
    assertThat(t.weakValues()).isTrue();
  }

  @Test
  void a_table_without_mode_keeps_its_entries_through_collections() {
    LuauTable t = new LuauTable();
    putDroppedValues(t, 5);
    forceCollection();
    forceCollection();
    assertThat(keys(t)).hasSize(5);
  }

  @Test
  void the_mode_is_read_when_the_metatable_is_set() {
    LuauTable mt = new LuauTable();
    LuauTable t = new LuauTable();
    t.setMetatable(mt);
    mt.rawset(MODE, LuauString.of("v")); // too late: the table stays strong
    putDroppedValues(t, 5);
    forceCollection();
    assertThat(t.weakValues()).isFalse();
    assertThat(keys(t)).hasSize(5);

    t.setMetatable(mt); // setting it again reads the mode now; existing entries move into weak storage
    assertThat(t.weakValues()).isTrue();
    assertThat(collectUntil(() -> keys(t).isEmpty())).isTrue();
  }

  @Test
  void removing_the_weak_metatable_makes_the_table_strong_again_with_its_entries() {
    LuauTable t = weak("kv");
    LuauTable key = new LuauTable();
    LuauTable value = new LuauTable();
    t.rawset(key, value);
    t.rawset(1.0, LuauString.of("one"));
    t.rawset(2.0, LuauString.of("two"));
    t.setMetatable(null);
    assertThat(t.weakKeys()).isFalse();
    assertThat(t.rawget(key)).isSameAs(value);
    assertThat(t.length()).isEqualTo(2);
    putDroppedValues(t, 3);
    forceCollection();
    assertThat(keys(t)).hasSize(6);
  }

  @Test
  void a_weak_table_behaves_as_a_table_for_non_collectable_entries() {
    LuauTable t = weak("kv");
    for (int i = 1; i <= 100; i++) {
      t.rawset((double) i, (double) i * 2);
    }
    assertThat(t.length()).isEqualTo(100);
    assertThat(t.rawget(50)).isEqualTo(100.0);
    t.rawset(100.0, null);
    assertThat(t.length()).isEqualTo(99);
    t.rawset(-0.0, LuauString.of("zero"));
    assertThat(t.rawget(0.0)).isEqualTo(LuauString.of("zero"));
    assertThat(keys(t)).hasSize(100);
    LuauTable copy = t.copy();
    assertThat(copy.weakKeys()).isTrue();
    assertThat(copy.rawget(0.0)).isEqualTo(LuauString.of("zero"));
    t.clear();
    assertThat(keys(t)).isEmpty();
    assertThat(copy.length()).isEqualTo(99);
  }

  @Test
  void next_stays_valid_while_entries_vanish_mid_traversal() {
    LuauTable t = weak("v");
    List<LuauTable> kept = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      LuauTable v = new LuauTable();
      kept.add(v);
      t.rawset(LuauString.of("kept" + i), v);
    }
    putDroppedValues(t, 50);

    // start the traversal, then let the collector clear the dropped values, then finish it with next()
    Set<Object> seen = new HashSet<>();
    Object[] kv = t.next(null);
    Object current = kv[0];
    seen.add(current);
    forceCollection();
    assertThat(collectUntil(() -> t.rawget(LuauString.of("dropped1")) == null
        || current.equals(LuauString.of("dropped1")))).isTrue();
    for (kv = t.next(current); kv != null; kv = t.next(kv[0])) {
      assertThat(seen.add(kv[0])).as("each key is visited once").isTrue();
      assertThat(kv[1]).isNotNull();
    }
    for (int i = 0; i < 50; i++) {
      assertThat(seen).contains(LuauString.of("kept" + i));
    }
    assertThat(seen.size()).as("the dropped values were not visited").isLessThan(60);
  }

  @Test
  void next_on_a_key_whose_value_was_collected_continues_from_that_key() {
    LuauTable t = weak("v");
    LuauString key = LuauString.of("dropped0");
    putDroppedValues(t, 1);
    LuauTable kept = new LuauTable();
    t.rawset(LuauString.of("kept"), kept);
    assertThat(collectUntil(() -> t.rawget(key) == null)).isTrue();
    // the key's slot stays until the next rehash, so next() from it works instead of "invalid key to 'next'"
    Object[] kv = t.next(key);
    List<Object> rest = new ArrayList<>();
    for (; kv != null; kv = t.next(kv[0])) {
      rest.add(kv[0]);
    }
    assertThat(rest).containsOnly(LuauString.of("kept"));
  }

  @Test
  void pairs_in_luau_survives_collections_inside_the_loop() {
    // 20 forced collections can take longer than the default 10 s slice on a loaded machine: no time limit here.
    try (LuauState state = LuauState.create(StateOptions.defaults().withLimits(Limits.unlimited()))) {
      state.defineFunction("collect", (L, a) -> {
        forceCollection();
        return null;
      });
      Object[] r = state.run("""
          local cache = setmetatable({}, {__mode = "v"})
          local kept = {}
          for i = 1, 40 do
            local v = {i}
            if i % 2 == 0 then kept[i] = v end
            cache[i] = v
          end
          local visited, keptVisited = 0, 0
          for k, v in pairs(cache) do
            visited += 1
            if kept[k] then keptVisited += 1 end
            collect()
          end
          return visited, keptVisited
          """, "weak", state.newEnvironment());
      assertThat(r[1]).as("every live entry is visited").isEqualTo(20.0);
      assertThat((Double) r[0]).as("dropped entries vanish while the loop runs").isLessThan(30.0);
    }
  }

  @Test
  void the_memory_walk_does_not_count_what_only_a_weak_table_holds() {
    String fill = """
        for i = 1, 2000 do holder[i] = {i, i, i, i, i, i, i, i} end
        """;
    long weakBytes;
    long strongBytes;
    try (LuauState state = LuauState.create()) {
      LuauTable env = state.newEnvironment();
      state.run("holder = setmetatable({}, {__mode = 'v'})\n" + fill + "keep = holder[1]", "w", env);
      weakBytes = state.measureMemory();
    }
    try (LuauState state = LuauState.create()) {
      LuauTable env = state.newEnvironment();
      state.run("holder = {}\n" + fill + "keep = holder[1]", "s", env);
      strongBytes = state.measureMemory();
    }
    // 2000 tables of 8 numbers are well over 2000 * 100 bytes in the walk's estimate
    assertThat(strongBytes - weakBytes).isGreaterThan(2000L * 100);
  }

  @Test
  void only_reference_types_are_collectable() {
    assertThat(LuauTable.isCollectable(new LuauTable())).isTrue();
    assertThat(LuauTable.isCollectable(LuauFunction.host("f", (L, a) -> null))).isTrue();
    assertThat(LuauTable.isCollectable(LuauString.of("s"))).isFalse();
    assertThat(LuauTable.isCollectable(1.0)).isFalse();
    assertThat(LuauTable.isCollectable(1L)).isFalse();
    assertThat(LuauTable.isCollectable(Boolean.FALSE)).isFalse();
    assertThat(LuauTable.isCollectable(null)).isFalse();
  }
}
