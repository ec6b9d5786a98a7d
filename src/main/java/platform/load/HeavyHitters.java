package platform.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heaviest keys of a weighted stream in bounded memory (the Space-Saving algorithm of Metwally,
 * Agrawal and El Abbadi, with weights): at most {@code capacity} counters. A key not counted takes
 * the place of the lightest one and inherits its weight as its possible overestimate. Every key
 * whose true weight exceeds the total divided by {@code capacity} is kept, and a kept key's weight
 * is overestimated by at most its {@link Entry#error()}. Not thread-safe.
 */
final class HeavyHitters<K> {

    /** A counted key: {@code weight} is at least its true weight and at most {@code error} above it. */
    record Entry<K>(K key, long weight, long error) {

        /** What the key surely weighed. */
        long guaranteed() {
            return weight - error;
        }
    }

    private final int capacity;
    private final Map<K, long[]> counters; // key -> {weight, error}
    private long total;

    HeavyHitters(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.counters = new HashMap<>(capacity * 2);
    }

    void add(K key, long weight) {
        if (weight <= 0) {
            return;
        }
        total += weight;
        long[] counter = counters.get(key);
        if (counter != null) {
            counter[0] += weight;
            return;
        }
        if (counters.size() < capacity) {
            counters.put(key, new long[] {weight, 0});
            return;
        }
        K lightest = null;
        long min = Long.MAX_VALUE;
        for (Map.Entry<K, long[]> e : counters.entrySet()) {
            if (e.getValue()[0] < min) {
                min = e.getValue()[0];
                lightest = e.getKey();
            }
        }
        counters.remove(lightest);
        counters.put(key, new long[] {min + weight, min});
    }

    /** The sum of every weight added. */
    long total() {
        return total;
    }

    /** The counted keys, heaviest first. */
    List<Entry<K>> entries() {
        List<Entry<K>> entries = new ArrayList<>(counters.size());
        counters.forEach((key, counter) -> entries.add(new Entry<>(key, counter[0], counter[1])));
        entries.sort(Comparator.comparingLong((Entry<K> e) -> e.weight()).reversed());
        return entries;
    }
}
