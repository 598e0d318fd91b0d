package org.dataflex.algorithms.select;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.dataflex.algorithms.schedule.SeededPermutation;

/**
 * {@code loss} (spec §4.3): stratified loss-quantile sampling — a random sample biased toward one loss band, not a
 * top-k. The finite losses are split at two quantiles (linear interpolation between order statistics) into
 * low {@code ℓ ≤ q1}, medium {@code q1 < ℓ ≤ q2} and high {@code ℓ > q2}; every finite sample weighs 1, the focus
 * band {@code focus_weight}, a missing (non-finite) loss 0; {@code p ∝ (w + 1e−12)^(1/temperature)}. Indices are
 * drawn without replacement (with replacement when configured, or when fewer entries than requested have positive
 * probability) from a generator seeded with {@code (42, stepId)}. Metric: {@code {"loss": [ℓ of the selected]}}.
 */
public final class LossSelector implements Selector {

    public static final String NAME = "loss";
    /** Keeps zero-weight (missing-loss) samples barely drawable, as the reference does (§8 row 5). */
    static final double EPSILON = 1e-12;

    /** The loss band that gets {@code focus_weight}. */
    public enum Focus { LOW, MEDIUM, HIGH }

    private final Focus focus;
    private final double focusWeight;
    private final double lowerQuantile;
    private final double upperQuantile;
    private final boolean replacement;
    private final double temperature;

    public LossSelector(Focus focus, double focusWeight, double lowerQuantile, double upperQuantile,
                        boolean replacement, double temperature) {
        this.focus = focus;
        this.focusWeight = focusWeight;
        this.lowerQuantile = lowerQuantile;
        this.upperQuantile = upperQuantile;
        this.replacement = replacement;
        this.temperature = temperature;
    }

    /**
     * Params: {@code focus} (high | medium | low, default high), {@code focus_weight} (5.0), {@code quantiles}
     * ([0.33, 0.66]), {@code replacement} (false), {@code temperature} (1.0), {@code cache_dir} (ignored).
     */
    public static LossSelector fromParams(Map<String, Object> params) {
        SelectorParams p = new SelectorParams(NAME, params,
                Set.of("focus", "focus_weight", "quantiles", "replacement", "temperature"));
        String focusName = p.getString("focus", "high");
        Focus focus = switch (focusName.toLowerCase(Locale.ROOT)) {
            case "low" -> Focus.LOW;
            case "medium" -> Focus.MEDIUM;
            case "high" -> Focus.HIGH;
            default -> throw p.invalid("focus", "must be one of low, medium, high", focusName);
        };
        double focusWeight = p.getDouble("focus_weight", 5.0);
        if (!(focusWeight >= 0) || Double.isInfinite(focusWeight)) {
            throw p.invalid("focus_weight", "must be a finite number >= 0", focusWeight);
        }
        List<Double> quantiles = p.getDoubleList("quantiles", List.of(0.33, 0.66));
        if (quantiles.size() != 2 || !(quantiles.get(0) >= 0) || !(quantiles.get(0) <= quantiles.get(1))
                || !(quantiles.get(1) <= 1)) {
            throw p.invalid("quantiles", "must be two numbers 0 <= q1 <= q2 <= 1", quantiles);
        }
        double temperature = p.getDouble("temperature", 1.0);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw p.invalid("temperature", "must be a finite number > 0", temperature);
        }
        return new LossSelector(focus, focusWeight, quantiles.get(0), quantiles.get(1),
                p.getBoolean("replacement", false), temperature);
    }

    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSS);
    }

    @Override
    public Selection select(SelectionRequest request) {
        double[] losses = request.requireLosses(NAME);
        double[] p = probabilities(losses, focus, focusWeight, lowerQuantile, upperQuantile, temperature);
        SplittableRandom random = new SplittableRandom(SeededPermutation.mix(DEFAULT_SEED, request.stepId()));
        int k = request.numSamples();
        boolean drawWithReplacement = replacement || WeightedSampler.positiveCount(p) < k;
        int[] indices = drawWithReplacement
                ? WeightedSampler.withReplacement(p, k, random)
                : WeightedSampler.withoutReplacement(p, k, random);
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("loss", JsonNumbers.pick(losses, indices));
        return new Selection(indices, metric);
    }

    /**
     * The normalised sampling probabilities of §4.3 steps 3–6. Computed in log space, which is the same
     * distribution but cannot overflow for small temperatures.
     */
    public static double[] probabilities(double[] losses, Focus focus, double focusWeight, double lowerQuantile,
                                         double upperQuantile, double temperature) {
        double[] finite = Arrays.stream(losses).filter(Double::isFinite).sorted().toArray();
        double q1 = finite.length > 0 ? quantile(finite, lowerQuantile) : Double.NaN;
        double q2 = finite.length > 0 ? quantile(finite, upperQuantile) : Double.NaN;
        int n = losses.length;
        double[] logWeight = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double weight = weight(losses[i], q1, q2, focus, focusWeight);
            logWeight[i] = Math.log(weight + EPSILON) / temperature;
            max = Math.max(max, logWeight[i]);
        }
        double total = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logWeight[i] - max);
            total += p[i];
        }
        for (int i = 0; i < n; i++) p[i] /= total;
        return p;
    }

    /** {@link #probabilities} with this selector's configuration. */
    public double[] probabilities(double[] losses) {
        return probabilities(losses, focus, focusWeight, lowerQuantile, upperQuantile, temperature);
    }

    /**
     * The q-quantile of ascending {@code sorted} values with linear interpolation between order statistics
     * (numpy's default "linear" method).
     */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) throw new IllegalArgumentException("quantile of an empty set");
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    private static double weight(double loss, double q1, double q2, Focus focus, double focusWeight) {
        if (!Double.isFinite(loss)) return 0.0;
        Focus band = loss <= q1 ? Focus.LOW : loss <= q2 ? Focus.MEDIUM : Focus.HIGH;
        return band == focus ? focusWeight : 1.0;
    }
}
