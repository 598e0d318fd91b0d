package org.dataflex.algorithms.select;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dataflex.algorithms.schedule.SeededPermutation;

/**
 * {@code delta_loss} (spec §4.4): a curriculum over how much each sample's loss has fallen since the first
 * selection. The first call stores the initial losses ℓ⁰ of all N samples and returns a prefix of a seeded
 * permutation (seed 42, the same at whatever step it happens); metric {@code {"loss": [ℓ⁰ of ALL N]}}. Every later
 * call ranks the samples by Δ = ℓ⁰ − ℓ (descending, ties by index), puts a window of {@code window_size·N} ranks at
 * a position that slides by a sigmoid of the selection's place in its Flex epoch, gives the window probability
 * weight 1.0 and everything else 0.025, and samples without replacement with seed {@code (42, stepId)};
 * metric {@code {"delta_loss": [Δ of the selected]}}.
 *
 * <p>Deviations from the reference, both guarding a crash or a wrong window (spec §8 row 6):
 * <ul>
 *   <li>with {@code update_times − 1 ≤ 0} (update_times = 1 divides by zero in the reference; update_times ≤ 0
 *       comes from train_step runs without Flex epochs) the window position uses x = 0, i.e. the top of the
 *       ranking;</li>
 *   <li>the initial losses and the first-call flag live in {@link #saveState()}, so a resumed run keeps its ℓ⁰
 *       instead of mistaking a later selection file for it.</li>
 * </ul>
 * A missing Δ (NaN, from a missing loss) ranks last and, like a negative Δ, ends the window.
 */
public final class DeltaLossSelector implements Selector {

    public static final String NAME = "delta_loss";
    static final double SIGMOID_STEEPNESS = 10.0;
    static final double INSIDE_WEIGHT = 1.0;
    static final double OUTSIDE_WEIGHT = 0.025;
    /** Salt of the first call's permutation: fixed, so it does not depend on the step of the first call. */
    static final long FIRST_CALL_SALT = 0L;

    private static final String STATE_FIRST_TIME = "first_time";
    private static final String STATE_INITIAL_LOSSES = "initial_losses";

    private final double windowSize;
    /** ℓ⁰ of every pool sample; null until the first selection. */
    private double[] initialLosses;

    public DeltaLossSelector(double windowSize) {
        if (!(windowSize > 0 && windowSize <= 1)) {
            throw new IllegalArgumentException("selector 'delta_loss': window_size must be in (0, 1], got "
                    + windowSize);
        }
        this.windowSize = windowSize;
    }

    /** Params: {@code window_size} (0.2, a fraction of N), {@code cache_dir} (ignored). */
    public static DeltaLossSelector fromParams(Map<String, Object> params) {
        SelectorParams p = new SelectorParams(NAME, params, Set.of("window_size"));
        double windowSize = p.getDouble("window_size", 0.2);
        if (!(windowSize > 0 && windowSize <= 1)) throw p.invalid("window_size", "must be in (0, 1]", windowSize);
        return new DeltaLossSelector(windowSize);
    }

    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSS);
    }

    /** Whether the next call is the first one (it will record the initial losses). */
    public boolean firstTime() {
        return initialLosses == null;
    }

    @Override
    public Selection select(SelectionRequest request) {
        double[] losses = request.requireLosses(NAME);
        int n = request.poolSize();
        int k = request.numSamples();
        if (k > n) {
            throw new IllegalArgumentException("selector 'delta_loss' samples without replacement and cannot pick"
                    + " num_samples=" + k + " from " + n + " training examples; lower update_step");
        }
        if (initialLosses == null) return firstSelection(losses, k);
        if (initialLosses.length != n) {
            throw new IllegalStateException("selector 'delta_loss': the initial losses cover " + initialLosses.length
                    + " samples but the pool now has " + n + "; the training set changed since the first selection");
        }
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) delta[i] = initialLosses[i] - losses[i];
        double[] p = probabilities(delta, request.currentUpdateTimes(), request.updateTimes(), windowSize);
        SplittableRandom random = new SplittableRandom(SeededPermutation.mix(DEFAULT_SEED, request.stepId()));
        int[] indices = WeightedSampler.withoutReplacement(p, k, random);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("delta_loss", JsonNumbers.pick(delta, indices));
        return new Selection(indices, metric);
    }

    private Selection firstSelection(double[] losses, int k) {
        initialLosses = losses.clone();
        int[] indices = Arrays.copyOf(SeededPermutation.of(losses.length, DEFAULT_SEED, FIRST_CALL_SALT), k);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("loss", JsonNumbers.all(initialLosses));
        return new Selection(indices, metric);
    }

    /**
     * The window {@code [start, end)} over the descending Δ ranking before negative-Δ truncation (§4.4 step 4).
     * {@code x = (current − 1) / (updateTimes − 1)}, or 0 when {@code updateTimes − 1 ≤ 0}.
     */
    public static int[] window(int poolSize, double windowSize, int currentUpdateTimes, int updateTimes) {
        double c = currentUpdateTimes - 1;
        double u = updateTimes - 1;
        double x = u <= 0 ? 0.0 : c / u;
        double sigma = 1.0 / (1.0 + Math.exp(-SIGMOID_STEEPNESS * (x - 0.5)));
        double width = windowSize * poolSize;
        double startF = sigma * (poolSize - width);
        int start = (int) Math.max(0, Math.floor(startF));
        int end = (int) Math.min(poolSize, Math.floor(startF + width));
        return new int[] {start, end};
    }

    /**
     * Sampling probabilities over the pool (normalised) for the given deltas: 1.0 for the samples ranked inside the
     * truncated window, 0.025 elsewhere; uniform when the window is empty.
     */
    public static double[] probabilities(double[] delta, int currentUpdateTimes, int updateTimes, double windowSize) {
        int n = delta.length;
        int[] ranking = rankDescending(delta);
        int[] window = window(n, windowSize, currentUpdateTimes, updateTimes);
        int start = window[0];
        int end = window[1];
        for (int position = 0; position < n; position++) {
            if (!(delta[ranking[position]] >= 0)) { // negative or missing: the window stops here
                end = Math.min(end, position);
                break;
            }
        }
        double[] p = new double[n];
        Arrays.fill(p, OUTSIDE_WEIGHT);
        for (int position = start; position < end; position++) p[ranking[position]] = INSIDE_WEIGHT;
        double total = 0;
        for (double value : p) total += value;
        for (int i = 0; i < n; i++) p[i] /= total;
        return p;
    }

    /** Pool indices ordered by Δ descending, ties by index, NaN last. */
    static int[] rankDescending(double[] delta) {
        Integer[] order = new Integer[delta.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            double da = Double.isNaN(delta[a]) ? Double.NEGATIVE_INFINITY : delta[a];
            double db = Double.isNaN(delta[b]) ? Double.NEGATIVE_INFINITY : delta[b];
            int byDelta = Double.compare(db, da);
            if (byDelta != 0) return byDelta;
            boolean nanA = Double.isNaN(delta[a]);
            boolean nanB = Double.isNaN(delta[b]);
            if (nanA != nanB) return nanA ? 1 : -1;
            return Integer.compare(a, b);
        });
        int[] ranking = new int[order.length];
        for (int i = 0; i < ranking.length; i++) ranking[i] = order[i];
        return ranking;
    }

    @Override
    public Map<String, Object> saveState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(STATE_FIRST_TIME, initialLosses == null);
        if (initialLosses != null) state.put(STATE_INITIAL_LOSSES, JsonNumbers.all(initialLosses));
        return state;
    }

    @Override
    public void restoreState(Map<String, Object> state) {
        Object firstTime = state.get(STATE_FIRST_TIME);
        if (!(firstTime instanceof Boolean first)) {
            throw new IllegalArgumentException("selector 'delta_loss': saved state needs a boolean '"
                    + STATE_FIRST_TIME + "', got " + JsonNumbers.describe(firstTime));
        }
        if (first) {
            initialLosses = null;
            return;
        }
        if (!state.containsKey(STATE_INITIAL_LOSSES)) {
            throw new IllegalArgumentException("selector 'delta_loss': saved state has first_time=false but no '"
                    + STATE_INITIAL_LOSSES + "'");
        }
        initialLosses = JsonNumbers.arrayFromJson(state.get(STATE_INITIAL_LOSSES),
                "selector 'delta_loss' saved state '" + STATE_INITIAL_LOSSES + "'");
    }
}
