package org.dataflex.driver.train;

/** Signals of the current model over the whole training pool, computed by a Spark job when first asked for. */
public interface PoolSignalSource {
    /** Per-example mean token loss, indexed like the training set. */
    double[] losses();
}
