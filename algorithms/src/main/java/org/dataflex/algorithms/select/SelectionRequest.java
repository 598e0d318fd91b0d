package org.dataflex.algorithms.select;

/**
 * Everything a selector is given for one selection (spec §3.1.7).
 *
 * @param stepId             the global step after which the selection happens; seeds the selection's randomness
 * @param numSamples         how many indices to return: {@code TB · update_step}
 * @param poolSize           N, the candidate pool; indices refer to {@code 0..N-1}
 * @param currentUpdateTimes 1-based index of this selection within its Flex epoch
 * @param updateTimes        selections per Flex epoch as the schedule passes it (may be ≤ 0 when there are no
 *                           Flex epochs, see {@code FlexSchedule})
 * @param signals            the signals requested by {@link Selector#signals()}; never null
 */
public record SelectionRequest(long stepId, int numSamples, int poolSize, int currentUpdateTimes, int updateTimes,
                               PoolSignals signals) {

    public SelectionRequest {
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
        if (numSamples < 0) throw new IllegalArgumentException("numSamples must be >= 0, got " + numSamples);
        if (signals == null) signals = PoolSignals.none();
        requireLength("losses", signals.losses() == null ? -1 : signals.losses().length, poolSize);
        requireLength("gradientFeatures",
                signals.gradientFeatures() == null ? -1 : signals.gradientFeatures().length, poolSize);
        requireLength("embeddings", signals.embeddings() == null ? -1 : signals.embeddings().length, poolSize);
    }

    /** The per-sample losses, or a clear error naming the selector when the trainer did not compute them. */
    public double[] requireLosses(String selectorName) {
        if (signals.losses() == null) {
            throw new IllegalStateException("selector '" + selectorName + "' needs per-sample losses (Signal.LOSS)"
                    + " but the request at step " + stepId + " carries none");
        }
        return signals.losses();
    }

    private static void requireLength(String name, int length, int poolSize) {
        if (length >= 0 && length != poolSize) {
            throw new IllegalArgumentException("signal " + name + " has " + length + " rows but the pool has "
                    + poolSize + " samples");
        }
    }
}
