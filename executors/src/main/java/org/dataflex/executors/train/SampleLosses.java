package org.dataflex.executors.train;

import java.io.Serializable;
import java.util.List;

/**
 * Per-sample next-token losses of a batch, in the batch's order: the sum of token losses and the number of loss
 * tokens of each sample (token-weighted eval adds sums and counts; per-sample selection uses {@link #mean}).
 */
public record SampleLosses(List<String> ids, double[] lossSums, int[] tokenCounts) implements Serializable {
    public SampleLosses {
        if (ids.size() != lossSums.length || ids.size() != tokenCounts.length) {
            throw new IllegalArgumentException("ids, sums and counts differ in length");
        }
        ids = List.copyOf(ids);
    }

    public int size() {
        return ids.size();
    }

    /** Mean token loss of sample i, denominator max(1, count). */
    public double mean(int i) {
        return lossSums[i] / Math.max(1, tokenCounts[i]);
    }

    public double[] means() {
        double[] m = new double[size()];
        for (int i = 0; i < m.length; i++) m[i] = mean(i);
        return m;
    }

    /** Token-weighted mean over all samples. */
    public double tokenMean() {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < size(); i++) {
            sum += lossSums[i];
            count += tokenCounts[i];
        }
        return sum / Math.max(1, count);
    }
}
