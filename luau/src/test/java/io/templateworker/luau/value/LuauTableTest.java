package io.templateworker.luau.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LuauTableTest {

  @Test
  void a_frozen_copy_shares_the_shape_and_replaces_only_the_given_slots() {
    LuauString a = LuauString.of("a");
    LuauString b = LuauString.of("b");
    LuauString c = LuauString.of("c");
    LuauTable meta = new LuauTable();
    LuauTable proto = new LuauTable(0, 3);
    proto.rawset(a, 1.0);
    proto.rawset(b, Boolean.TRUE);
    proto.rawset(c, Boolean.TRUE);
    proto.setMetatable(meta);
    proto.freeze();
    int[] slots = {proto.hashSlotOf(b), proto.hashSlotOf(c)};

    LuauTable one = proto.frozenCopy(slots, "x", null);
    LuauTable two = proto.frozenCopy(slots, "y", "z");

    assertThat(one.isFrozen()).isTrue();
    assertThat(one.getMetatable()).isSameAs(meta);
    assertThat(one.rawget(a)).isEqualTo(1.0);
    assertThat(one.rawget(b)).isEqualTo("x");
    assertThat(one.rawget(c)).as("a null value leaves the key out").isNull();
    assertThat(two.rawget(b)).isEqualTo("y");
    assertThat(two.rawget(c)).isEqualTo("z");
    Set<Object> seen = new HashSet<>();
    for (Object[] kv = one.next(null); kv != null; kv = one.next(kv[0])) {
      seen.add(kv[0]);
    }
    assertThat(seen).containsExactlyInAnyOrder(a, b);
    assertThatThrownBy(() -> one.rawset(a, 2.0)).isInstanceOf(LuauError.class).hasMessageContaining("readonly");
    assertThat(proto.rawget(b)).as("the prototype is untouched").isEqualTo(Boolean.TRUE);
    assertThat(one.copy().rawget(b)).isEqualTo("x");
    assertThatThrownBy(() -> new LuauTable(0, 1).frozenCopy(new int[0])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void appending_in_order_grows_the_array_part() {
    LuauTable t = new LuauTable();
    for (int i = 1; i <= 1000; i++) {
      t.rawset((double) i, (double) i);
    }
    assertThat(t.arrayCapacity()).isGreaterThanOrEqualTo(1000);
    assertThat(t.hashSlotsUsed()).isZero();
    assertThat(t.length()).isEqualTo(1000);
    assertThat(t.rawget(500)).isEqualTo(500.0);
  }

  @Test
  void keys_stored_in_the_hash_migrate_when_the_array_reaches_them() {
    LuauTable t = new LuauTable();
    t.rawset(3.0, "c");
    t.rawset(2.0, "b");
    assertThat(t.arrayCapacity()).isZero();
    t.rawset(1.0, "a"); // appending index 1 grows the array and pulls 2 and 3 out of the hash
    assertThat(t.arrayCapacity()).isGreaterThanOrEqualTo(3);
    assertThat(t.rawget(2)).isEqualTo("b");
    assertThat(t.rawget(3.0)).isEqualTo("c");
    assertThat(t.length()).isEqualTo(3);
    int count = 0;
    for (Object[] kv = t.next(null); kv != null; kv = t.next(kv[0])) {
      count++;
    }
    assertThat(count).as("each key is visited once after migration").isEqualTo(3);
  }

  @Test
  void a_sequence_filled_out_of_order_moves_into_the_array_part_on_length() {
    LuauTable t = new LuauTable();
    for (int i = 1000; i >= 1; i--) {
      t.rawset((double) i, (double) i);
    }
    assertThat(t.length()).isEqualTo(1000);
    assertThat(t.arrayCapacity()).isGreaterThanOrEqualTo(1000);
    for (int i = 1; i <= 1000; i++) {
      assertThat(t.rawget(i)).isEqualTo((double) i);
    }
    int count = 0;
    for (Object[] kv = t.next(null); kv != null; kv = t.next(kv[0])) {
      count++;
    }
    assertThat(count).isEqualTo(1000);
  }

  @Test
  void length_is_a_border() {
    LuauTable t = new LuauTable();
    for (int i = 1; i <= 10; i++) {
      t.rawset(i, "x");
    }
    t.rawset(10, null);
    assertThat(t.length()).isEqualTo(9);
    t.rawset(5, null);
    int n = t.length();
    assertThat(t.rawget(n + 1)).isNull();
    assertThat(n == 0 || t.rawget(n) != null).isTrue();
  }

  @Test
  void integral_double_keys_and_negative_zero_are_one_key() {
    LuauTable t = new LuauTable();
    t.rawset(-0.0, "zero");
    assertThat(t.rawget(0.0)).isEqualTo("zero");
    t.rawset(1e300, "big");
    assertThat(t.rawget(1e300)).isEqualTo("big");
    t.rawset(1.5, "frac");
    assertThat(t.rawget(1.5)).isEqualTo("frac");
  }

  @Test
  void strings_are_keys_by_content() {
    LuauTable t = new LuauTable();
    t.rawset(LuauString.of("key"), 1.0);
    assertThat(t.rawget(LuauString.of("key"))).isEqualTo(1.0);
    assertThat(t.rawgetStr(LuauString.of("key"))).isEqualTo(1.0);
    assertThat(t.rawget(LuauString.of("other"))).isNull();
  }

  @Test
  void nil_and_nan_keys_are_rejected_with_luau_messages() {
    LuauTable t = new LuauTable();
    assertThatThrownBy(() -> t.rawset(null, 1.0)).isInstanceOf(LuauError.class).hasMessage("table index is nil");
    assertThatThrownBy(() -> t.rawset(Double.NaN, 1.0)).isInstanceOf(LuauError.class)
        .hasMessage("table index is NaN");
  }

  @Test
  void next_survives_clearing_visited_keys() {
    LuauTable t = new LuauTable();
    for (int i = 0; i < 200; i++) {
      t.rawset(LuauString.of("k" + i), (double) i);
    }
    Set<Object> seen = new HashSet<>();
    Object key = null;
    while (true) {
      Object[] kv = t.next(key);
      if (kv == null) {
        break;
      }
      assertThat(seen.add(kv[0])).as("no key twice").isTrue();
      t.rawset(kv[0], null);
      key = kv[0];
    }
    assertThat(seen).hasSize(200);
    assertThat(t.next(null)).isNull();
  }

  @Test
  void next_with_an_unknown_key_fails() {
    LuauTable t = new LuauTable();
    t.rawset(LuauString.of("a"), 1.0);
    assertThatThrownBy(() -> t.next(LuauString.of("zzz"))).isInstanceOf(LuauError.class)
        .hasMessage("invalid key to 'next'");
  }

  @Test
  void deleted_entries_are_dropped_at_the_next_rehash() {
    LuauTable t = new LuauTable();
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 100; i++) {
        t.rawset(LuauString.of("r" + round + "k" + i), 1.0);
      }
      for (int i = 0; i < 100; i++) {
        t.rawset(LuauString.of("r" + round + "k" + i), null);
      }
    }
    assertThat(t.hashSlotsUsed()).as("dead keys do not accumulate").isLessThan(400);
    assertThat(t.next(null)).isNull();
  }

  @Test
  void interned_keys_keep_their_slots_and_match_by_identity() {
    LuauTable t = new LuauTable();
    for (int i = 0; i < 50; i++) {
      t.rawset(LuauString.of("name" + i), (double) i);
    }
    t.internKeys();
    LuauString canonical = LuauString.intern(LuauString.of("name7"));
    assertThat(LuauString.intern(LuauString.of("name7"))).isSameAs(canonical);
    assertThat(t.rawgetStr(canonical)).isEqualTo(7.0);
    assertThat(t.rawget(LuauString.of("name49"))).isEqualTo(49.0);
    LuauString longString = LuauString.of("x".repeat(100));
    assertThat(LuauString.intern(longString)).isSameAs(longString);
  }

  @Test
  void frozen_table_rejects_writes() {
    LuauTable t = new LuauTable();
    t.rawset(1, "a");
    t.freeze();
    assertThatThrownBy(() -> t.rawset(1, "b")).hasMessage("attempt to modify a readonly table");
    assertThatThrownBy(() -> t.setMetatable(new LuauTable())).hasMessage("attempt to modify a readonly table");
    assertThat(t.rawget(1)).isEqualTo("a");
  }
}
