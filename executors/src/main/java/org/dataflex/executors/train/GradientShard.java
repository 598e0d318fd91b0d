package org.dataflex.executors.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One replica's contribution to a synchronous data-parallel optimizer step: the gradients of the trainable
 * parameters (flattened in {@link TrainingReplica#trainableParameterNames()} order) of its micro-batches, each
 * micro-batch objective already divided by the step's global micro-batch count, so that the sum of all
 * replicas' shards is the gradient {@link TrainingReplica#trainStep} computes over the union of the micro-batches.
 *
 * <p>{@code lossSum} is the sum of the micro-batches' token-mean losses (undivided); {@code microBatches} counts
 * the micro-batches the shard covers, {@code totalMicroBatches} is the global count of the step, and {@code step}
 * is the replica's step counter before the update (every shard of one step carries the same value).
 *
 * <p>The total equals {@code trainStep}'s gradient up to the float32 rounding of the summation order: torch adds
 * micro-batch gradients in order, {@link #sum} folds shards left to right, so the result is bit-identical when
 * only the first shard holds more than one micro-batch (e.g. 2+1), and differs by rounding otherwise (1+2, or a
 * tree reduction with {@link #merge}). Every replica applying the same total stays bit-identical to the others.
 */
public final class GradientShard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final int totalMicroBatches;
    private final int microBatches;
    private final float[] gradients;
    private final double lossSum;
    private final long inputTokens;
    private final long lossTokens;
    private final List<String> exampleIds;

    public GradientShard(long step, int totalMicroBatches, int microBatches, float[] gradients, double lossSum,
                         long inputTokens, long lossTokens, List<String> exampleIds) {
        if (totalMicroBatches < 1) {
            throw new IllegalArgumentException("totalMicroBatches must be at least 1, got " + totalMicroBatches);
        }
        if (microBatches < 0 || microBatches > totalMicroBatches) {
            throw new IllegalArgumentException("a shard covers 0.." + totalMicroBatches + " micro-batches, got "
                    + microBatches);
        }
        if (gradients == null) throw new IllegalArgumentException("gradients must not be null");
        if (inputTokens < 0 || lossTokens < 0) {
            throw new IllegalArgumentException("token counts must be non-negative, got input " + inputTokens
                    + " and loss " + lossTokens);
        }
        this.step = step;
        this.totalMicroBatches = totalMicroBatches;
        this.microBatches = microBatches;
        this.gradients = gradients;
        this.lossSum = lossSum;
        this.inputTokens = inputTokens;
        this.lossTokens = lossTokens;
        this.exampleIds = List.copyOf(exampleIds);
    }

    /** The shards' sum in list order (a float32 left fold); all must belong to the same step. */
    public static GradientShard sum(List<GradientShard> shards) {
        if (shards == null || shards.isEmpty()) throw new IllegalArgumentException("sum needs at least one shard");
        GradientShard first = shards.get(0);
        float[] total = first.gradients.clone();
        int covered = 0;
        double loss = 0;
        long input = 0;
        long lossTok = 0;
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            GradientShard shard = shards.get(s);
            first.requireCompatible(shard, "shard " + s);
            if (s > 0) {
                float[] g = shard.gradients;
                for (int i = 0; i < total.length; i++) total[i] += g[i];
            }
            covered += shard.microBatches;
            loss += shard.lossSum;
            input += shard.inputTokens;
            lossTok += shard.lossTokens;
            ids.addAll(shard.exampleIds);
        }
        first.requireCoverage(covered);
        return new GradientShard(first.step, first.totalMicroBatches, covered, total, loss, input, lossTok, ids);
    }

    /** {@code a + b}, for tree reductions (e.g. Spark's treeReduce); associative up to float rounding. */
    public static GradientShard merge(GradientShard a, GradientShard b) {
        return sum(List.of(a, b));
    }

    private void requireCompatible(GradientShard other, String what) {
        if (other.step != step) {
            throw new IllegalArgumentException(what + " was computed at step " + other.step + " but the first at step "
                    + step);
        }
        if (other.totalMicroBatches != totalMicroBatches) {
            throw new IllegalArgumentException(what + " belongs to a step of " + other.totalMicroBatches
                    + " micro-batches but the first to one of " + totalMicroBatches);
        }
        if (other.gradients.length != gradients.length) {
            throw new IllegalArgumentException(what + " has " + other.gradients.length + " gradient values but the first "
                    + gradients.length);
        }
    }

    private void requireCoverage(int covered) {
        if (covered > totalMicroBatches) {
            throw new IllegalArgumentException("the shards cover " + covered + " micro-batches but the step has only "
                    + totalMicroBatches);
        }
    }

    public long step() { return step; }
    public int totalMicroBatches() { return totalMicroBatches; }
    public int microBatches() { return microBatches; }
    /** True when the shard covers every micro-batch of its step (a total ready for applyGradients). */
    public boolean complete() { return microBatches == totalMicroBatches; }
    /** The flattened gradients (the shard's own array: do not modify). */
    public float[] gradients() { return gradients; }
    public double lossSum() { return lossSum; }
    /** The step objective this shard contributes: {@code lossSum / totalMicroBatches}. */
    public double loss() { return lossSum / totalMicroBatches; }
    public long inputTokens() { return inputTokens; }
    public long lossTokens() { return lossTokens; }
    public List<String> exampleIds() { return exampleIds; }

    @Override
    public String toString() {
        return "GradientShard{step=" + step + ", microBatches=" + microBatches + "/" + totalMicroBatches
                + ", values=" + gradients.length + ", lossSum=" + lossSum + ", lossTokens=" + lossTokens + "}";
    }
}
