package org.dataflex.algorithms.select;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws indices from a discrete distribution with a seeded generator, like {@code torch.multinomial}.
 * Probabilities need not be normalised; they must be finite and non-negative.
 */
public final class WeightedSampler {
    private WeightedSampler() {}

    /**
     * {@code count} distinct indices, with the distribution of sequential draws without replacement (Efraimidis–
     * Spirakis keys {@code log(u)/p_i}; the order of the result is the draw order). Zero-probability entries are
     * never drawn. Ties in the keys go to the smaller index.
     *
     * @throws IllegalArgumentException if fewer than {@code count} entries have positive probability
     */
    public static int[] withoutReplacement(double[] probabilities, int count, SplittableRandom random) {
        validate(probabilities);
        int positive = positiveCount(probabilities);
        if (count > positive) {
            throw new IllegalArgumentException("cannot draw " + count + " distinct indices: only " + positive
                    + " of " + probabilities.length + " have positive probability");
        }
        int n = probabilities.length;
        double[] keys = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 1.0 - random.nextDouble(); // in (0, 1], so log(u) is finite
            keys[i] = probabilities[i] > 0 ? Math.log(u) / probabilities[i] : Double.NEGATIVE_INFINITY;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int byKey = Double.compare(keys[b], keys[a]);
            return byKey != 0 ? byKey : Integer.compare(a, b);
        });
        int[] picked = new int[count];
        for (int i = 0; i < count; i++) picked[i] = order[i];
        return picked;
    }

    /** {@code count} independent draws (duplicates possible) by inverse-CDF lookup. */
    public static int[] withReplacement(double[] probabilities, int count, SplittableRandom random) {
        validate(probabilities);
        if (count > 0 && positiveCount(probabilities) == 0) {
            throw new IllegalArgumentException("cannot draw from a distribution whose probabilities are all zero");
        }
        int n = probabilities.length;
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += probabilities[i];
            cumulative[i] = total;
        }
        int[] picked = new int[count];
        for (int d = 0; d < count; d++) {
            double target = random.nextDouble() * total;
            int index = firstAbove(cumulative, target);
            while (probabilities[index] == 0) index--; // rounding at the very top: step back to a drawable entry
            picked[d] = index;
        }
        return picked;
    }

    /** The first i with {@code cumulative[i] > target}, or the last index if none (rounding). */
    private static int firstAbove(double[] cumulative, double target) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > target) high = mid;
            else low = mid + 1;
        }
        return low;
    }

    /** How many entries can be drawn at all. */
    public static int positiveCount(double[] probabilities) {
        int positive = 0;
        for (double p : probabilities) if (p > 0) positive++;
        return positive;
    }

    private static void validate(double[] probabilities) {
        if (probabilities.length == 0) throw new IllegalArgumentException("cannot draw from an empty distribution");
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw new IllegalArgumentException("probability " + i + " is " + p + "; expected finite and >= 0");
            }
        }
    }
}
