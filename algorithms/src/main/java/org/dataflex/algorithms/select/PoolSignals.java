package org.dataflex.algorithms.select;

/**
 * The per-sample signals computed over the candidate pool, indexed by pool index {@code 0..N-1}. An array is null
 * when its {@link Signal} was not requested. A loss may be NaN or infinite, meaning "missing" (e.g. a sample with
 * no label tokens).
 *
 * @param losses           {@link Signal#LOSS}: one mean token loss per sample
 * @param gradientFeatures {@link Signal#GRADIENT_FEATURE}: one feature row per sample
 * @param embeddings       {@link Signal#EMBEDDING}: one embedding row per sample
 */
public record PoolSignals(double[] losses, float[][] gradientFeatures, float[][] embeddings) {

    private static final PoolSignals NONE = new PoolSignals(null, null, null);

    /** No signals: for selectors that need nothing but the pool size. */
    public static PoolSignals none() { return NONE; }

    /** Only per-sample losses. */
    public static PoolSignals ofLosses(double[] losses) { return new PoolSignals(losses, null, null); }

    /** Whether the given signal is present. */
    public boolean has(Signal signal) {
        return switch (signal) {
            case LOSS -> losses != null;
            case GRADIENT_FEATURE -> gradientFeatures != null;
            case EMBEDDING -> embeddings != null;
        };
    }
}
