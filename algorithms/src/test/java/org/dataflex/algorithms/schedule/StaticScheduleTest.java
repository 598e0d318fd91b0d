package org.dataflex.algorithms.schedule;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StaticScheduleTest {

    @Test
    void epochCountsFollowHfWithTrailingPartialWindow() {
        // spec §10.15: N=100, bs=4, GA=2 -> 25 micro-batches -> 13 steps per epoch
        StaticSchedule s = StaticSchedule.plan(100, 4, 2, 1.0, -1, 0);
        assertEquals(13, s.stepsPerEpoch());
        assertEquals(13, s.maxSteps());
        assertEquals(26, StaticSchedule.plan(100, 4, 2, 2.0, -1, 0).maxSteps());
        assertEquals(7, StaticSchedule.plan(100, 4, 2, 0.5, -1, 0).maxSteps());
    }

    @Test
    void trainStepOverridesMaxStepsWhichOverridesEpochs() {
        assertEquals(40, StaticSchedule.plan(100, 4, 2, 3.0, 17, 40).maxSteps());
        assertEquals(17, StaticSchedule.plan(100, 4, 2, 3.0, 17, 0).maxSteps());
    }

    @Test
    void microBatchRangesCoverEachEpochExactlyOnce() {
        StaticSchedule s = StaticSchedule.plan(10, 3, 2, 2.0, -1, 0);
        assertEquals(2, s.stepsPerEpoch()); // 4 micro-batches of 3,3,3,1
        assertArrayEquals(new long[][] {{0, 3}, {3, 6}}, s.microBatchRanges(1));
        assertArrayEquals(new long[][] {{6, 9}, {9, 10}}, s.microBatchRanges(2));
        assertArrayEquals(new long[][] {{0, 3}, {3, 6}}, s.microBatchRanges(3));
        assertEquals(0, s.epochOf(2));
        assertEquals(1, s.epochOf(3));
        assertEquals(1.5, s.epochProgress(3), 1e-12);
    }

    @Test
    void invalidInputsNameTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> StaticSchedule.plan(10, 0, 1, 1, -1, 0));
        assertTrue(e.getMessage().contains("per_device_train_batch_size"));
        e = assertThrows(IllegalArgumentException.class, () -> StaticSchedule.plan(10, 1, 1, 0, -1, 0));
        assertTrue(e.getMessage().contains("num_train_epochs"));
        assertThrows(IllegalArgumentException.class, () -> StaticSchedule.plan(0, 1, 1, 1, -1, 0));
    }

    @Test
    void permutationIsSeededAndComplete() {
        int[] a = SeededPermutation.of(1000, 42, 0);
        assertArrayEquals(a, SeededPermutation.of(1000, 42, 0));
        assertFalse(Arrays.equals(a, SeededPermutation.of(1000, 42, 1)));
        assertFalse(Arrays.equals(a, SeededPermutation.of(1000, 43, 0)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
    }
}
