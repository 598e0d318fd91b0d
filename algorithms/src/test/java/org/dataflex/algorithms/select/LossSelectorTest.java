package org.dataflex.algorithms.select;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dataflex.algorithms.select.LossSelector.Focus;
import org.junit.jupiter.api.Test;

class LossSelectorTest {

    private static final double[] LOSSES = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0};

    private static SelectionRequest request(long step, int k, double[] losses) {
        return new SelectionRequest(step, k, losses.length, 1, 1, PoolSignals.ofLosses(losses));
    }

    @Test
    void quantilesInterpolateLinearly() {
        assertEquals(1.325, LossSelector.quantile(LOSSES, 0.33), 1e-12);
        assertEquals(2.15, LossSelector.quantile(LOSSES, 0.66), 1e-12);
        assertEquals(0.5, LossSelector.quantile(LOSSES, 0.0), 1e-12);
        assertEquals(3.0, LossSelector.quantile(LOSSES, 1.0), 1e-12);
    }

    @Test
    void focusBandsGetFocusWeight() {
        double[] high = LossSelector.probabilities(LOSSES, Focus.HIGH, 5.0, 0.33, 0.66, 1.0);
        assertArrayEquals(new double[] {1 / 14.0, 1 / 14.0, 1 / 14.0, 1 / 14.0, 5 / 14.0, 5 / 14.0}, high, 1e-9);
        assertEquals(0.0714286, high[0], 1e-6);
        assertEquals(0.357143, high[5], 1e-6);
        assertArrayEquals(new double[] {1 / 14.0, 1 / 14.0, 5 / 14.0, 5 / 14.0, 1 / 14.0, 1 / 14.0},
                LossSelector.probabilities(LOSSES, Focus.MEDIUM, 5.0, 0.33, 0.66, 1.0), 1e-9);
        assertArrayEquals(new double[] {5 / 14.0, 5 / 14.0, 1 / 14.0, 1 / 14.0, 1 / 14.0, 1 / 14.0},
                LossSelector.probabilities(LOSSES, Focus.LOW, 5.0, 0.33, 0.66, 1.0), 1e-9);
    }

    @Test
    void temperatureSharpensTheWeights() {
        double[] p = LossSelector.probabilities(LOSSES, Focus.HIGH, 5.0, 0.33, 0.66, 0.5);
        for (int i = 0; i < 4; i++) assertEquals(0.0185185, p[i], 1e-6);
        assertEquals(0.462963, p[4], 1e-6);
        assertEquals(0.462963, p[5], 1e-6);
    }

    @Test
    void missingLossesKeepATinyPositiveProbability() {
        double[] losses = {0.5, 1.0, Double.POSITIVE_INFINITY, 2.0, Double.NaN};
        double[] p = LossSelector.probabilities(losses, Focus.HIGH, 5.0, 0.33, 0.66, 1.0);
        assertTrue(p[2] > 0 && p[2] < 1e-11, "≈1e-12/Σ: " + p[2]);
        assertTrue(p[4] > 0 && p[4] < 1e-11);
        // the quantiles are taken over the finite losses only: {0.5, 1.0, 2.0} -> high = {2.0}
        assertEquals(5.0 / 7.0, p[3], 1e-9);
        // small temperatures stay finite instead of overflowing
        double[] sharp = LossSelector.probabilities(LOSSES, Focus.HIGH, 5.0, 0.33, 0.66, 0.001);
        assertEquals(1.0, Arrays.stream(sharp).sum(), 1e-12);
        assertEquals(0.5, sharp[5], 1e-9);
    }

    @Test
    void selectionIsASeededSampleWithoutDuplicatesNotTopK() {
        LossSelector selector = LossSelector.fromParams(Map.of("focus", "high"));
        assertEquals(Set.of(Signal.LOSS), selector.signals());
        boolean pickedLowLoss = false;
        for (long step = 1; step <= 40; step++) {
            Selection s = selector.select(request(step, 2, LOSSES));
            assertEquals(2, s.indices().length);
            assertNotEquals(s.indices()[0], s.indices()[1]);
            assertArrayEquals(s.indices(), selector.select(request(step, 2, LOSSES)).indices(), "deterministic");
            if (s.indices()[0] < 4 || s.indices()[1] < 4) pickedLowLoss = true;
            List<?> metric = (List<?>) s.metric().get("loss");
            assertEquals(List.of(LOSSES[s.indices()[0]], LOSSES[s.indices()[1]]), metric);
        }
        assertTrue(pickedLowLoss, "a sample, not top-k: some step picks a non-focus item");
    }

    @Test
    void focusBandIsDrawnFiveTimesAsOftenAsOthers() {
        double[] losses = new double[300];
        for (int i = 0; i < losses.length; i++) losses[i] = i;
        LossSelector selector = new LossSelector(Focus.HIGH, 5.0, 0.33, 0.66, true, 1.0);
        int high = 0;
        int draws = 0;
        for (long step = 0; step < 20; step++) {
            for (int index : selector.select(request(step, 300, losses)).indices()) {
                if (losses[index] > LossSelector.quantile(losses, 0.66)) high++;
                draws++;
            }
        }
        // the top third (101 items) carries 5·101 / (5·101 + 199) ≈ 0.717 of the mass
        assertEquals(505.0 / 704.0, (double) high / draws, 0.02);
    }

    @Test
    void falls_back_to_replacement_only_when_too_few_positive_entries() {
        double[] losses = {1.0, 2.0, 3.0};
        Selection s = LossSelector.fromParams(Map.of()).select(request(9, 5, losses));
        assertEquals(5, s.indices().length, "more requested than the pool: drawn with replacement");
        int[] distinct = LossSelector.fromParams(Map.of()).select(request(9, 3, losses)).indices().clone();
        Arrays.sort(distinct);
        assertArrayEquals(new int[] {0, 1, 2}, distinct);
    }

    @Test
    void missingLossSignalIsAClearError() {
        var request = new SelectionRequest(5, 2, 6, 1, 1, PoolSignals.none());
        var e = assertThrows(IllegalStateException.class, () -> LossSelector.fromParams(Map.of()).select(request));
        assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("LOSS"), e.getMessage());
    }

    @Test
    void paramsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> LossSelector.fromParams(Map.of("focus", "extreme")));
        assertThrows(IllegalArgumentException.class, () -> LossSelector.fromParams(Map.of("temperature", 0)));
        assertThrows(IllegalArgumentException.class,
                () -> LossSelector.fromParams(Map.of("quantiles", List.of(0.7, 0.3))));
        assertThrows(IllegalArgumentException.class, () -> LossSelector.fromParams(Map.of("quantiles", 0.3)));
        LossSelector configured = LossSelector.fromParams(Map.of("focus", "low", "focus_weight", 3,
                "quantiles", List.of(0.5, 0.5), "temperature", 1.0, "replacement", false, "cache_dir", "x"));
        assertArrayEquals(new double[] {3 / 12.0, 3 / 12.0, 3 / 12.0, 1 / 12.0, 1 / 12.0, 1 / 12.0},
                configured.probabilities(LOSSES), 1e-9);
    }
}
