package org.dataflex.driver.train;

import java.util.Map;
import java.util.TreeMap;
import org.dataflex.algorithms.schedule.SeededPermutation;

/**
 * The data feed of the selecting trainer: after each warmup or selection at step g, the steps g+1, g+2, ... train
 * on that subset (duplicates allowed), in a seeded shuffled order; a subset used up before the next decision is
 * re-iterated in a new order, as the reference's rebuilt DataLoader does. Every step's batch is a function of the
 * subsets and the seed, so rounds can be replayed.
 */
final class SelectionBatchPlan implements BatchPlan {
    private final int batchSize;
    private final int gradientAccumulation;
    private final long seed;
    private final TreeMap<Long, int[]> subsets = new TreeMap<>();

    SelectionBatchPlan(int batchSize, int gradientAccumulation, long seed) {
        this.batchSize = batchSize;
        this.gradientAccumulation = gradientAccumulation;
        this.seed = seed;
    }

    /** The subset that trains the steps after {@code step}, until the next one. */
    void use(long step, int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("empty subset at step " + step);
        subsets.put(step, indices.clone());
        // a replay never reaches further back than the latest broadcast state, which is at a decision step or later
        while (subsets.size() > 4) subsets.pollFirstEntry();
    }

    @Override
    public long[][] microBatches(long step) {
        Map.Entry<Long, int[]> entry = subsets.floorEntry(step - 1);
        if (entry == null) throw new IllegalStateException("no subset decided before step " + step);
        long builtAt = entry.getKey();
        int[] subset = entry.getValue();
        long first = (step - builtAt - 1) * (long) batchSize * gradientAccumulation;
        long[][] micro = new long[gradientAccumulation][batchSize];
        int[] order = null;
        long orderPass = -1;
        for (int m = 0; m < gradientAccumulation; m++) {
            for (int j = 0; j < batchSize; j++) {
                long position = first + (long) m * batchSize + j;
                long pass = position / subset.length;
                if (pass != orderPass) {
                    order = SeededPermutation.of(subset.length, SeededPermutation.mix(seed, builtAt), pass);
                    orderPass = pass;
                }
                micro[m][j] = subset[order[(int) (position % subset.length)]];
            }
        }
        return micro;
    }
}
