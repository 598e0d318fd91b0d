package org.dataflex.driver.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dataflex.algorithms.schedule.StaticSchedule;
import org.junit.jupiter.api.Test;

class EpochBatchPlanTest {
    private static List<Long> epoch(EpochBatchPlan plan, StaticSchedule s, int epoch) {
        List<Long> seen = new ArrayList<>();
        for (int step = epoch * s.stepsPerEpoch() + 1; step <= (epoch + 1) * s.stepsPerEpoch(); step++) {
            for (long[] micro : plan.microBatches(step)) for (long i : micro) seen.add(i);
        }
        return seen;
    }

    @Test
    void everyEpochVisitsEveryExampleOnceInItsOwnOrder() {
        StaticSchedule s = StaticSchedule.plan(23, 4, 2, 3.0, -1, 0);
        EpochBatchPlan plan = new EpochBatchPlan(s, 7);
        List<Long> first = epoch(plan, s, 0);
        List<Long> second = epoch(plan, s, 1);
        for (List<Long> e : List.of(first, second)) {
            assertEquals(23, e.size());
            assertEquals(23, e.stream().distinct().count());
        }
        assertNotEquals(first, second, "each epoch is reshuffled");
    }

    @Test
    void anyStepIsRecomputableOutOfOrder() {
        StaticSchedule s = StaticSchedule.plan(50, 5, 1, 4.0, -1, 0);
        long[][] later = new EpochBatchPlan(s, 1).microBatches(33);
        EpochBatchPlan walked = new EpochBatchPlan(s, 1);
        for (int step = 1; step < 33; step++) walked.microBatches(step);
        assertTrue(Arrays.deepEquals(later, walked.microBatches(33)), "a replay must see the same batch");
    }
}
