package org.dataflex.algorithms.select;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeltaLossSelectorTest {

    private static SelectionRequest request(long step, int k, double[] losses, int current, int updateTimes) {
        return new SelectionRequest(step, k, losses.length, current, updateTimes, PoolSignals.ofLosses(losses));
    }

    private static double[] losses(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = 1 + random.nextDouble() * 3;
        return out;
    }

    @Test
    void windowFollowsTheSigmoidTable() {
        assertArrayEquals(new int[] {12, 32}, DeltaLossSelector.window(100, 0.2, 2, 4));
        assertArrayEquals(new int[] {67, 87}, DeltaLossSelector.window(100, 0.2, 3, 4));
        assertArrayEquals(new int[] {79, 99}, DeltaLossSelector.window(100, 0.2, 4, 4));
        assertArrayEquals(new int[] {0, 20}, DeltaLossSelector.window(100, 0.2, 1, 4));
        // guard instead of the reference's division by zero / negative x: the top of the ranking
        assertArrayEquals(new int[] {0, 20}, DeltaLossSelector.window(100, 0.2, 2, 1));
        assertArrayEquals(new int[] {0, 20}, DeltaLossSelector.window(100, 0.2, 3, -1));
    }

    @Test
    void fullWindowGetsWeightOneOthersQuarterTenth() {
        double[] delta = new double[100];
        for (int i = 0; i < 100; i++) delta[i] = 100 - i; // ranking = index order
        double[] p = DeltaLossSelector.probabilities(delta, 1, 4, 0.2);
        for (int i = 0; i < 20; i++) assertEquals(1 / 22.0, p[i], 1e-9);
        for (int i = 20; i < 100; i++) assertEquals(0.025 / 22.0, p[i], 1e-9);
        assertEquals(0.0454545, p[0], 1e-6);
        assertEquals(0.00113636, p[99], 1e-6);
    }

    @Test
    void negativeDeltasTruncateTheWindow() {
        double[] delta = new double[100];
        Arrays.fill(delta, -2);
        delta[7] = 5;
        delta[3] = 4;
        delta[50] = -1;
        double[] p = DeltaLossSelector.probabilities(delta, 1, 4, 0.2);
        double inside = 1.0 / (2 + 98 * 0.025);
        assertEquals(inside, p[7], 1e-12);
        assertEquals(inside, p[3], 1e-12);
        assertEquals(0.025 * inside, p[50], 1e-12);
        assertEquals(0.025 * inside, p[0], 1e-12);
    }

    @Test
    void allNegativeDeltasGiveUniformProbabilities() {
        double[] delta = new double[40];
        Arrays.fill(delta, -0.5);
        for (double value : DeltaLossSelector.probabilities(delta, 2, 4, 0.2)) assertEquals(1 / 40.0, value, 1e-12);
    }

    @Test
    void rankingIsDescendingWithTiesByIndexAndMissingLast() {
        double[] delta = {1.0, Double.NaN, 3.0, 1.0, -1.0};
        assertArrayEquals(new int[] {2, 0, 3, 4, 1}, DeltaLossSelector.rankDescending(delta));
    }

    @Test
    void firstCallReturnsAFixedPermutationPrefixAndRecordsAllLosses() {
        double[] initial = losses(100, 1);
        DeltaLossSelector selector = DeltaLossSelector.fromParams(Map.of("window_size", 0.2));
        assertTrue(selector.firstTime());
        Selection first = selector.select(request(10, 20, initial, 1, 4));
        assertFalse(selector.firstTime());
        assertEquals(20, Arrays.stream(first.indices()).distinct().count());
        assertEquals(100, ((List<?>) first.metric().get("loss")).size());
        assertEquals(initial[42], ((List<?>) first.metric().get("loss")).get(42));
        // not step-dependent: a first call at another step picks the same prefix
        Selection elsewhere = new DeltaLossSelector(0.2).select(request(77, 20, initial, 1, 4));
        assertArrayEquals(first.indices(), elsewhere.indices());
    }

    @Test
    void laterCallsPreferTheWindowAndReportDeltas() {
        int n = 200;
        double[] initial = losses(n, 2);
        double[] current = new double[n];
        for (int i = 0; i < n; i++) current[i] = initial[i] - (n - i) * 0.001; // Δ decreases with the index
        DeltaLossSelector selector = new DeltaLossSelector(0.2);
        selector.select(request(5, 20, initial, 1, 4));
        int inWindow = 0;
        int drawn = 0;
        for (long step = 15; step < 35; step++) {
            Selection s = selector.select(request(step, 20, current, 1, 4));
            assertEquals(20, Arrays.stream(s.indices()).distinct().count(), "without replacement");
            List<?> deltas = (List<?>) s.metric().get("delta_loss");
            assertEquals((n - s.indices()[0]) * 0.001, (double) deltas.get(0), 1e-9);
            for (int index : s.indices()) {
                if (index < 40) inWindow++;
                drawn++;
            }
        }
        // the 40-rank window holds 40 / (40 + 160·0.025) = 10/11 of the mass; draws without replacement of 20
        // from it stay well above half
        assertTrue(inWindow > 0.8 * drawn, inWindow + " of " + drawn);
    }

    @Test
    void restoredSelectorContinuesExactlyLikeTheUninterruptedOne() {
        int n = 120;
        DeltaLossSelector uninterrupted = new DeltaLossSelector(0.25);
        DeltaLossSelector beforeCrash = new DeltaLossSelector(0.25);
        double[] l0 = losses(n, 3);
        double[] l1 = losses(n, 4);
        double[] l2 = losses(n, 5);
        assertArrayEquals(uninterrupted.select(request(4, 12, l0, 1, 3)).indices(),
                beforeCrash.select(request(4, 12, l0, 1, 3)).indices());
        assertArrayEquals(uninterrupted.select(request(7, 12, l1, 2, 3)).indices(),
                beforeCrash.select(request(7, 12, l1, 2, 3)).indices());
        Map<String, Object> saved = beforeCrash.saveState();
        assertEquals(false, saved.get("first_time"));

        DeltaLossSelector resumed = DeltaLossSelector.fromParams(Map.of("window_size", 0.25));
        resumed.restoreState(saved);
        assertFalse(resumed.firstTime());
        Selection expected = uninterrupted.select(request(10, 12, l2, 3, 3));
        Selection actual = resumed.select(request(10, 12, l2, 3, 3));
        assertArrayEquals(expected.indices(), actual.indices());
        assertEquals(expected.metric(), actual.metric());
    }

    @Test
    void stateRoundTripsNonFiniteLossesAndFreshState() {
        double[] l0 = {1.0, Double.POSITIVE_INFINITY, Double.NaN, 2.0};
        DeltaLossSelector selector = new DeltaLossSelector(0.5);
        assertEquals(Map.of("first_time", true), selector.saveState());
        selector.select(request(3, 2, l0, 1, 2));
        Map<String, Object> saved = selector.saveState();
        assertEquals(List.of(1.0, "Infinity", "NaN", 2.0), saved.get("initial_losses"));
        DeltaLossSelector restored = new DeltaLossSelector(0.5);
        restored.restoreState(saved);
        assertEquals(saved, restored.saveState());
        DeltaLossSelector fresh = new DeltaLossSelector(0.5);
        fresh.restoreState(Map.of("first_time", true));
        assertTrue(fresh.firstTime());
        assertThrows(IllegalArgumentException.class, () -> fresh.restoreState(Map.of("first_time", false)));
        assertThrows(IllegalArgumentException.class, () -> fresh.restoreState(Map.of()));
    }

    @Test
    void changedPoolAndBadParamsAreClearErrors() {
        DeltaLossSelector selector = new DeltaLossSelector(0.2);
        selector.select(request(1, 2, losses(10, 1), 1, 2));
        var e = assertThrows(IllegalStateException.class, () -> selector.select(request(2, 2, losses(11, 1), 2, 2)));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeltaLossSelector.fromParams(Map.of("window_size", 0)));
        assertThrows(IllegalArgumentException.class, () -> DeltaLossSelector.fromParams(Map.of("window_size", "big")));
        assertThrows(IllegalArgumentException.class, () -> DeltaLossSelector.fromParams(Map.of("seed", 1)));
    }
}
