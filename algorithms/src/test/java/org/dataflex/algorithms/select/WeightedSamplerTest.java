package org.dataflex.algorithms.select;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedSamplerTest {

    @Test
    void firstDrawWithoutReplacementFollowsTheProbabilities() {
        double[] p = {0.1, 0.2, 0.3, 0.4};
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(11);
        int trials = 20_000;
        for (int t = 0; t < trials; t++) counts[WeightedSampler.withoutReplacement(p, 1, random)[0]]++;
        for (int i = 0; i < 4; i++) assertEquals(p[i], counts[i] / (double) trials, 0.015, Arrays.toString(counts));
    }

    @Test
    void withoutReplacementNeverRepeatsAndSkipsZeroProbability() {
        double[] p = {0.5, 0, 0.25, 0.25};
        int[] picked = WeightedSampler.withoutReplacement(p, 3, new SplittableRandom(3));
        int[] sorted = picked.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 2, 3}, sorted);
        var e = assertThrows(IllegalArgumentException.class,
                () -> WeightedSampler.withoutReplacement(p, 4, new SplittableRandom(3)));
        assertTrue(e.getMessage().contains("only 3"), e.getMessage());
    }

    @Test
    void withReplacementFollowsTheProbabilitiesAndNeverDrawsZeros() {
        double[] p = {0.0, 3, 0.0, 1, 0.0};
        int[] counts = new int[5];
        for (int index : WeightedSampler.withReplacement(p, 40_000, new SplittableRandom(5))) counts[index]++;
        assertEquals(0, counts[0] + counts[2] + counts[4]);
        assertEquals(0.75, counts[1] / 40_000.0, 0.01);
    }

    @Test
    void invalidDistributionsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> WeightedSampler.withReplacement(new double[] {0.5, Double.NaN}, 1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> WeightedSampler.withReplacement(new double[] {0, 0}, 1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> WeightedSampler.withoutReplacement(new double[] {-1, 2}, 1, new SplittableRandom(1)));
    }

    @Test
    void requestValidatesSignalLengths() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SelectionRequest(1, 1, 3, 1, 1, PoolSignals.ofLosses(new double[2])));
        assertTrue(e.getMessage().contains("losses") && e.getMessage().contains("3"), e.getMessage());
        assertEquals(PoolSignals.none(), new SelectionRequest(1, 1, 3, 1, 1, null).signals());
    }
}
