package org.dataflex.executors.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Next-token cross-entropy from one forward pass. Only the hidden states that carry loss go through the LM head
 * (prompt tokens, padding and the last position are skipped), so padding and masked prompts cost no vocabulary
 * projection.
 */
public final class CausalLmLoss {
    private CausalLmLoss() {}

    /**
     * Loss of a batch: {@code objective} is the token-mean over the batch's valid tokens (a scalar array for
     * backward, null when the batch has no loss token), plus each sample's loss sum and token count. The per-sample
     * sums are taken from the same per-token losses as the objective, so sum(sums) / sum(counts) == objective.
     */
    public record Result(NDArray objective, double objectiveValue, double[] sampleSums, int[] sampleCounts,
                         int lossTokens) {
        public double sampleMean(int i) {
            return sampleSums[i] / Math.max(1, sampleCounts[i]);
        }
    }

    /** Runs the model on {@code batch}; every array is created in {@code step}. */
    public static Result compute(GptModel model, TokenBatch batch, NDManager step, boolean training) {
        NDArray ids = step.create(batch.inputIds(), new Shape(batch.batchSize(), batch.seqLen()));
        NDArray hidden = model.hiddenStates(ids, training);
        return fromHidden(model, batch, hidden, step);
    }

    public static Result fromHidden(GptModel model, TokenBatch batch, NDArray hidden, NDManager step) {
        int n = batch.lossTokens();
        double[] sums = new double[batch.batchSize()];
        int[] counts = batch.tokensPerSample().clone();
        if (n == 0) return new Result(null, 0.0, sums, counts, 0);
        long d = model.config().nEmbd();
        NDArray flat = hidden.reshape(-1, d);
        int[] positions = batch.lossPositions();
        long[] index = new long[n];
        for (int i = 0; i < n; i++) index[i] = positions[i];
        NDArray selected = GptModel.rows(step.create(index, new Shape(n)), flat);
        NDArray logProbs = model.logits(selected).logSoftmax(-1);
        NDArray targets = step.create(batch.lossTargets(), new Shape(n, 1));
        NDArray tokenLoss = logProbs.gather(targets, 1).reshape(n).neg();
        NDArray inverseCount = step.full(new Shape(), (float) (1.0 / n), model.dtype());
        NDArray objective = tokenLoss.sum().mul(inverseCount);
        double[] perToken = tokenLoss.getDataType() == DataType.FLOAT64 ? tokenLoss.toDoubleArray()
                : toDouble(tokenLoss.toFloatArray());
        int[] owners = batch.lossOwners();
        for (int i = 0; i < n; i++) sums[owners[i]] += perToken[i];
        double value = objective.getDataType() == DataType.FLOAT64 ? objective.getDouble() : objective.getFloat();
        return new Result(objective, value, sums, counts, n);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
