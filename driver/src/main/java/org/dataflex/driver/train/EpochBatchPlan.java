package org.dataflex.driver.train;

import java.util.HashMap;
import java.util.Map;
import org.dataflex.algorithms.schedule.SeededPermutation;
import org.dataflex.algorithms.schedule.StaticSchedule;

/** Full passes over the data, each in its own seeded order: the static trainer's feed. */
final class EpochBatchPlan implements BatchPlan {
    private final StaticSchedule schedule;
    private final long seed;
    private final Map<Integer, int[]> orders = new HashMap<>();

    EpochBatchPlan(StaticSchedule schedule, long seed) {
        this.schedule = schedule;
        this.seed = seed;
    }

    @Override
    public long[][] microBatches(long step) {
        int epoch = schedule.epochOf(Math.toIntExact(step));
        int[] order = orders.computeIfAbsent(epoch,
                e -> SeededPermutation.of(Math.toIntExact(schedule.numExamples()), seed, e));
        orders.keySet().removeIf(e -> e < epoch - 1); // keep at most the current and the previous epoch
        long[][] ranges = schedule.microBatchRanges(Math.toIntExact(step));
        long[][] micro = new long[ranges.length][];
        for (int m = 0; m < ranges.length; m++) {
            micro[m] = new long[(int) (ranges[m][1] - ranges[m][0])];
            for (int j = 0; j < micro[m].length; j++) micro[m][j] = order[(int) ranges[m][0] + j];
        }
        return micro;
    }
}
