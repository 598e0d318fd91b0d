package org.dataflex.algorithms.select;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dataflex.algorithms.schedule.SeededPermutation;

/**
 * A data selector for {@code train_type: dynamic_select}: the extension point for user-written selection rules.
 *
 * <p>The trainer drives a selector like this (see {@code FlexSchedule}):
 * <ol>
 *   <li>at the start of every Flex epoch it trains on {@link #warmup(int, int)};</li>
 *   <li>every {@code update_step} optimizer steps it computes the {@link #signals()} the selector asks for over the
 *       whole candidate pool, calls {@link #select(SelectionRequest)} on the driver, and trains the next
 *       {@code update_step} steps on the returned indices;</li>
 *   <li>after every selection it persists {@link #saveState()} with the run's checkpoint; a resumed run calls
 *       {@link #restoreState(Map)} on a freshly built selector before its next selection.</li>
 * </ol>
 *
 * <p>Rules for implementations: be deterministic given the request and the state (seed any randomness from a fixed
 * seed and {@link SelectionRequest#stepId()}, e.g. {@code new SplittableRandom(SeededPermutation.mix(seed, stepId))}),
 * return exactly {@link SelectionRequest#numSamples()} indices in {@code [0, poolSize)}, and keep all state that
 * later selections depend on in {@link #saveState()}.
 *
 * <p>To plug in your own class, put it on the classpath and configure {@code component_name: custom} with
 * {@code class_name: com.example.MySelector} in the {@code custom} entry of {@code components.yaml}; the other
 * params of that entry are passed to a public {@code (Map<String, Object>)} constructor (or a public no-arg one is
 * used when there are none). See {@code org.dataflex.algorithms.select.examples.EasiestFirstSelector}.
 */
public interface Selector {

    /** The base seed of every selector unless it configures its own (the reference's default). */
    long DEFAULT_SEED = 42L;

    /** Which per-sample signals the trainer must compute over the pool before each {@link #select} call. */
    Set<Signal> signals();

    /** Chooses {@code request.numSamples()} pool indices to train on for the next {@code update_step} steps. */
    Selection select(SelectionRequest request);

    /** The seed of this selector's warmup draws (42 unless the selector has a {@code seed} parameter). */
    default long seed() {
        return DEFAULT_SEED;
    }

    /**
     * The warmup subset at the start of every Flex epoch: {@code numSamples} indices drawn uniformly WITH
     * replacement from {@code [0, poolSize)}.
     *
     * <p>The generator depends on {@link #seed()} only, exactly like the reference re-seeds it on every call, so
     * every Flex epoch trains on the same warmup subset (spec §3.1.3, §8 row 3). That is deliberate compatibility.
     */
    default int[] warmup(int numSamples, int poolSize) {
        if (numSamples < 0) throw new IllegalArgumentException("warmup size must be >= 0, got " + numSamples);
        if (poolSize < 1) throw new IllegalArgumentException("pool size must be >= 1, got " + poolSize);
        SplittableRandom random = new SplittableRandom(SeededPermutation.mix(seed(), WarmupStream.SALT));
        int[] indices = new int[numSamples];
        for (int i = 0; i < numSamples; i++) indices[i] = random.nextInt(poolSize);
        return indices;
    }

    /**
     * State that later selections depend on, as JSON-friendly values (numbers, strings, booleans, lists, maps).
     * Stateless selectors keep the default empty map.
     */
    default Map<String, Object> saveState() {
        return Map.of();
    }

    /** Restores what {@link #saveState()} returned, so a resumed run continues exactly like an uninterrupted one. */
    default void restoreState(Map<String, Object> state) {
        // Stateless by default: nothing to restore.
    }
}
