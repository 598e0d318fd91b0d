package org.dataflex.algorithms.select;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dataflex.algorithms.schedule.SeededPermutation;

/**
 * {@code random} (spec §4.1): a uniform baseline that needs no signals. The generator of a selection is seeded from
 * {@code (seed, stepId)}, so a selection is deterministic per (seed, step) and needs no state. Without replacement it
 * returns a prefix of a seeded permutation of the pool; with replacement, independent uniform draws.
 */
public final class RandomSelector implements Selector {

    public static final String NAME = "random";

    private final long seed;
    private final boolean replacement;

    public RandomSelector(long seed, boolean replacement) {
        this.seed = seed;
        this.replacement = replacement;
    }

    /** Params: {@code seed} (42), {@code replacement} (false), {@code cache_dir} (ignored). */
    public static RandomSelector fromParams(Map<String, Object> params) {
        SelectorParams p = new SelectorParams(NAME, params, Set.of("seed", "replacement"));
        return new RandomSelector(p.getLong("seed", DEFAULT_SEED), p.getBoolean("replacement", false));
    }

    @Override
    public Set<Signal> signals() {
        return Set.of();
    }

    @Override
    public long seed() {
        return seed;
    }

    public boolean replacement() {
        return replacement;
    }

    @Override
    public Selection select(SelectionRequest request) {
        int n = request.poolSize();
        int k = request.numSamples();
        if (replacement) {
            SplittableRandom random = new SplittableRandom(SeededPermutation.mix(seed, request.stepId()));
            int[] indices = new int[k];
            for (int i = 0; i < k; i++) indices[i] = random.nextInt(n);
            return Selection.of(indices);
        }
        if (k > n) {
            throw new IllegalArgumentException("selector 'random' without replacement cannot pick num_samples=" + k
                    + " distinct indices from " + n + " training examples (num_samples = per_device_train_batch_size"
                    + " x gradient_accumulation_steps x world_size x update_step); lower update_step or set"
                    + " replacement: true");
        }
        return Selection.of(Arrays.copyOf(SeededPermutation.of(n, seed, request.stepId()), k));
    }
}
