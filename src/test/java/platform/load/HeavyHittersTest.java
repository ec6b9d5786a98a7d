package platform.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeavyHittersTest {

    /** "hot" weighs about 60% of the stream, "warm" about 14%: both above total / 16, so both kept, in that order. */
    @Test
    void keepsTheHeavyKeysOfAStreamOfManyLightOnesInBoundedMemory() {
        HeavyHitters<String> sketch = new HeavyHitters<>(16);
        Random random = new Random(42);
        long heavyTrue = 0;
        for (int i = 0; i < 200_000; i++) {
            if (i % 10 == 0) {
                sketch.add("hot", 50);
                heavyTrue += 50;
            } else if (i % 25 == 0) {
                sketch.add("warm", 60);
            } else {
                sketch.add("tenant-" + random.nextInt(100_000), 1 + random.nextInt(4));
            }
        }
        List<HeavyHitters.Entry<String>> entries = sketch.entries();
        assertTrue(entries.size() <= 16);
        assertEquals("hot", entries.get(0).key());
        assertEquals("warm", entries.get(1).key());
        HeavyHitters.Entry<String> hot = entries.get(0);
        assertTrue(hot.guaranteed() <= heavyTrue && heavyTrue <= hot.weight(), "the true weight lies within the bounds");
        assertTrue(hot.error() <= sketch.total() / 16, "the overestimate is at most total / capacity");
    }

    @Test
    void countsExactlyWhileItHasRoom() {
        HeavyHitters<String> sketch = new HeavyHitters<>(4);
        sketch.add("a", 5);
        sketch.add("b", 7);
        sketch.add("a", 5);
        sketch.add("c", 0); // nothing
        assertEquals(List.of(new HeavyHitters.Entry<>("a", 10, 0), new HeavyHitters.Entry<>("b", 7, 0)), sketch.entries());
        assertEquals(17, sketch.total());
    }

    @Test
    void aNewKeyTakesTheLightestPlaceAndInheritsItsWeightAsError() {
        HeavyHitters<String> sketch = new HeavyHitters<>(2);
        sketch.add("a", 10);
        sketch.add("b", 3);
        sketch.add("c", 4);
        assertEquals(List.of(new HeavyHitters.Entry<>("a", 10, 0), new HeavyHitters.Entry<>("c", 7, 3)), sketch.entries());
        assertEquals(4, sketch.entries().get(1).guaranteed());
    }
}
