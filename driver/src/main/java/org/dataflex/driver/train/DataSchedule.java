package org.dataflex.driver.train;

import java.util.Map;

/**
 * What distinguishes one trainer from another: how many steps, which examples each step trains on, and the
 * decisions taken with the model in the loop (selection now; mixing and weighting later). The training loop,
 * Spark rounds, eval, checkpoints and resume are shared ({@link Trainer}).
 */
public interface DataSchedule {
    /** The config's {@code train_type}, recorded in checkpoints. */
    String trainType();

    int maxSteps();

    /** Samples per optimizer step. */
    int totalBatchSize();

    /** Fractional epochs after {@code step} optimizer steps, as logged. */
    double epochProgress(long step);

    /** The data feed: the examples of every step decided so far. */
    BatchPlan batches();

    /**
     * Called once before training: at step 0 of a new run, or at the checkpoint step of a resumed run, where the
     * schedule rebuilds its decisions up to that step from the run directory.
     */
    void start(long step);

    /** True when the schedule must see the model right after {@code step} (a round ends there). */
    default boolean decidesAfter(long step) {
        return false;
    }

    /** The decision after {@code step}, with signals of the current model over the candidate pool. */
    default void decide(long step, PoolSignalSource signals) {
        throw new IllegalStateException(trainType() + " takes no decisions");
    }

    /** The schedule's identity: a resumed run must have the same. */
    Map<String, Object> fingerprint();
}
