package io.templateworker.storage.expiry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Items grouped by time slot, for a consumer that takes everything due by a horizon in bulk (the claimer) rather
 * than one item at a time in exact order. A priority queue of the whole 60 s window (10^5 keys and more) cost the
 * claimer a sift through ~17 cache-missing levels per key while it held the engine's lock; here adding a key is an
 * append to its slot's list and taking a slot walks that list once. Not thread-safe: the engine's lock guards it.
 *
 * @param <T> the item; {@code timeOf} gives its time in epoch nanoseconds
 */
final class TimeSlots<T> {
    /** 2^23 ns ≈ 8.4 ms: a 60 s window is ~7 000 slots. */
    private static final int SLOT_SHIFT = 23;

    private final TreeMap<Long, List<T>> slots = new TreeMap<>();
    private final ToLongFunction<T> timeOf;
    private int size;

    TimeSlots(ToLongFunction<T> timeOf) {
        this.timeOf = timeOf;
    }

    void add(T item) {
        slots.computeIfAbsent(timeOf.applyAsLong(item) >> SLOT_SHIFT, slot -> new ArrayList<>()).add(item);
        size++;
    }

    /** The earliest item's time rounded down to its slot (so at most one slot early); Long.MAX_VALUE when empty. */
    long earliestSlot() {
        return slots.isEmpty() ? Long.MAX_VALUE : slots.firstKey() << SLOT_SHIFT;
    }

    /** The earliest item's time (walks the first slot); Long.MAX_VALUE when empty. */
    long earliest() {
        if (slots.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long earliest = Long.MAX_VALUE;
        for (T item : slots.firstEntry().getValue()) {
            earliest = Math.min(earliest, timeOf.applyAsLong(item));
        }
        return earliest;
    }

    /**
     * Moves items with a time at or before {@code horizon} into {@code out}, earliest slots first, until
     * {@code out} holds {@code max} items. Items of the slot that contains the horizon but lie after it stay.
     */
    void takeUpTo(long horizon, int max, List<T> out) {
        Iterator<Map.Entry<Long, List<T>>> it = slots.headMap(horizon >> SLOT_SHIFT, true).entrySet().iterator();
        while (it.hasNext() && out.size() < max) {
            Map.Entry<Long, List<T>> slot = it.next();
            List<T> items = slot.getValue();
            boolean boundary = slot.getKey() == horizon >> SLOT_SHIFT;
            // From the end, so that a partly taken slot keeps its remaining items without copying.
            for (int i = items.size() - 1; i >= 0 && out.size() < max; i--) {
                T item = items.get(i);
                if (!boundary || timeOf.applyAsLong(item) <= horizon) {
                    out.add(item);
                    items.set(i, items.getLast());
                    items.removeLast();
                    size--;
                }
            }
            if (items.isEmpty()) {
                it.remove();
            }
        }
    }

    int size() {
        return size;
    }
}
