package org.dataflex.driver.train;

/**
 * Which examples each optimizer step trains on: the data feed of a trainer. The static trainer walks seeded epoch
 * permutations; a selecting or mixing trainer answers from its current selection or mixture. Any step's batch must
 * be recomputable from the plan alone, so a lost round can be replayed.
 */
public interface BatchPlan {
    /** Dataset indices of each micro-batch of optimizer step {@code step} (1-based). */
    long[][] microBatches(long step);
}
