package org.dataflex.algorithms.select;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomAndStaticSelectorTest {

    private static SelectionRequest request(long step, int k, int n) {
        return new SelectionRequest(step, k, n, 1, 1, PoolSignals.none());
    }

    @Test
    void randomIsDeterministicPerSeedAndStep() {
        RandomSelector selector = new RandomSelector(42, false);
        int[] a = selector.select(request(10, 50, 1000)).indices();
        assertArrayEquals(a, new RandomSelector(42, false).select(request(10, 50, 1000)).indices());
        assertFalse(Arrays.equals(a, selector.select(request(11, 50, 1000)).indices()));
        assertFalse(Arrays.equals(a, new RandomSelector(43, false).select(request(10, 50, 1000)).indices()));
    }

    @Test
    void randomWithoutReplacementHasNoDuplicatesAndCanTakeTheWholePool() {
        int[] all = new RandomSelector(42, false).select(request(3, 100, 100)).indices();
        assertEquals(100, all.length);
        assertEquals(100, Arrays.stream(all).distinct().count());
        assertTrue(Arrays.stream(all).allMatch(i -> i >= 0 && i < 100));
        assertTrue(new RandomSelector(42, false).signals().isEmpty());
    }

    @Test
    void randomWithoutReplacementRejectsMoreThanThePool() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RandomSelector(42, false).select(request(3, 101, 100)));
        assertTrue(e.getMessage().contains("num_samples=101") && e.getMessage().contains("update_step"),
                e.getMessage());
    }

    @Test
    void randomWithReplacementRepeatsAndStaysInRange() {
        int[] draws = new RandomSelector(7, true).select(request(5, 200, 20)).indices();
        assertEquals(200, draws.length);
        assertTrue(Arrays.stream(draws).allMatch(i -> i >= 0 && i < 20));
        assertTrue(Arrays.stream(draws).distinct().count() < 200, "duplicates expected with 200 draws from 20");
        assertEquals(20, Arrays.stream(draws).distinct().count(), "every index reached in 200 uniform draws");
    }

    @Test
    void warmupIsUniformWithReplacementAndIdenticalEveryCall() {
        RandomSelector selector = new RandomSelector(42, false);
        int[] first = selector.warmup(300, 10);
        assertArrayEquals(first, selector.warmup(300, 10), "re-seeded on every call (spec §3.1.3)");
        assertFalse(Arrays.equals(first, new RandomSelector(5, false).warmup(300, 10)));
        int[] counts = new int[10];
        for (int i : first) counts[i]++;
        assertTrue(Arrays.stream(counts).allMatch(c -> c > 10), Arrays.toString(counts));
        assertEquals(0, selector.warmup(0, 10).length);
    }

    @Test
    void staticCyclesThroughThePoolAndResumesFromItsState() {
        StaticSelector selector = StaticSelector.fromParams(Map.of("cache_dir", "ignored"));
        assertArrayEquals(new int[] {0, 1, 2, 3}, selector.select(request(1, 4, 10)).indices());
        assertArrayEquals(new int[] {4, 5, 6, 7}, selector.select(request(2, 4, 10)).indices());
        Map<String, Object> saved = selector.saveState();
        assertArrayEquals(new int[] {8, 9, 0, 1}, selector.select(request(3, 4, 10)).indices());

        StaticSelector resumed = new StaticSelector();
        resumed.restoreState(saved);
        assertArrayEquals(new int[] {8, 9, 0, 1}, resumed.select(request(3, 4, 10)).indices());
        assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(Map.of()));
    }
}
