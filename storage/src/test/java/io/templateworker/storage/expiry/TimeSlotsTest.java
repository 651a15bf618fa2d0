package io.templateworker.storage.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSlotsTest {

    private static final long MS = 1_000_000L;

    @Test
    void takes_exactly_the_items_due_by_the_horizon_even_inside_the_horizons_slot() {
        TimeSlots<Long> slots = new TimeSlots<>(t -> t);
        long base = 1_000_000 * MS;
        List<Long> times = List.of(base, base + 1, base + 5 * MS, base + 8 * MS, base + 9 * MS, base + 100 * MS);
        times.forEach(slots::add);

        List<Long> out = new ArrayList<>();
        slots.takeUpTo(base + 8 * MS, 100, out);

        assertThat(out).containsExactlyInAnyOrder(base, base + 1, base + 5 * MS, base + 8 * MS);
        assertThat(slots.size()).isEqualTo(2);
        out.clear();
        slots.takeUpTo(base + 1000 * MS, 100, out);
        assertThat(out).containsExactlyInAnyOrder(base + 9 * MS, base + 100 * MS);
        assertThat(slots.size()).isZero();
        assertThat(slots.earliest()).isEqualTo(Long.MAX_VALUE);
        assertThat(slots.earliestSlot()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stops_at_the_limit_and_keeps_the_rest_for_the_next_take() {
        TimeSlots<Long> slots = new TimeSlots<>(t -> t);
        for (long i = 0; i < 1000; i++) {
            slots.add(i * MS / 10); // 1000 items over 100 ms: several per slot
        }
        List<Long> all = new ArrayList<>();
        List<Long> out = new ArrayList<>();
        while (slots.size() > 0) {
            out.clear();
            slots.takeUpTo(Long.MAX_VALUE - 1, 300, out);
            assertThat(out).hasSizeLessThanOrEqualTo(300).isNotEmpty();
            all.addAll(out);
        }
        assertThat(all).hasSize(1000).doesNotHaveDuplicates();
    }

    @Test
    void earliest_is_the_earliest_item_and_its_slot_at_most_one_slot_before_it() {
        TimeSlots<Long> slots = new TimeSlots<>(t -> t);
        long t = 1_733_000_000_000_000_000L + 123_456_789L;
        slots.add(t + 50 * MS);
        slots.add(t);

        assertThat(slots.earliest()).isEqualTo(t);
        assertThat(slots.earliestSlot()).isLessThanOrEqualTo(t).isGreaterThan(t - 10 * MS);
    }
}
