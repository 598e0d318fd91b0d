package org.dataflex.algorithms.schedule;

/**
 * Step arithmetic of the static (full-data) trainer, following HF Trainer as LLaMA-Factory uses it:
 * an epoch is {@code ceil(N / bs)} micro-batches, a trailing partial accumulation window still makes an optimizer
 * step, so an epoch has {@code ceil(ceil(N / bs) / GA)} steps. {@code train_step} (DataFlex) and {@code max_steps}
 * (HF) override the epoch count, in that order.
 */
public record StaticSchedule(long numExamples, int batchSize, int gradientAccumulation, int stepsPerEpoch,
                             int maxSteps) {

    public static StaticSchedule plan(long numExamples, int batchSize, int gradientAccumulation,
                                      double numTrainEpochs, int maxStepsOverride, int trainStep) {
        if (numExamples <= 0) throw new IllegalArgumentException("the training set is empty");
        if (batchSize < 1) throw new IllegalArgumentException("per_device_train_batch_size must be >= 1, got " + batchSize);
        if (gradientAccumulation < 1) {
            throw new IllegalArgumentException("gradient_accumulation_steps must be >= 1, got " + gradientAccumulation);
        }
        long microBatches = ceilDiv(numExamples, batchSize);
        int stepsPerEpoch = Math.toIntExact(Math.max(1, ceilDiv(microBatches, gradientAccumulation)));
        int maxSteps;
        if (trainStep > 0) {
            maxSteps = trainStep;
        } else if (maxStepsOverride > 0) {
            maxSteps = maxStepsOverride;
        } else {
            if (!(numTrainEpochs > 0) || Double.isInfinite(numTrainEpochs)) {
                throw new IllegalArgumentException("num_train_epochs must be > 0 when neither train_step nor max_steps"
                        + " is set, got " + numTrainEpochs);
            }
            maxSteps = Math.toIntExact((long) Math.ceil(numTrainEpochs * stepsPerEpoch - 1e-9));
        }
        return new StaticSchedule(numExamples, batchSize, gradientAccumulation, stepsPerEpoch, Math.max(1, maxSteps));
    }

    /** Samples consumed by one full optimizer step. */
    public int totalBatchSize() { return batchSize * gradientAccumulation; }

    /** Zero-based epoch that optimizer step {@code step} (1-based) belongs to. */
    public int epochOf(int step) { return (step - 1) / stepsPerEpoch; }

    /** Fractional epochs completed after {@code step} optimizer steps, as HF logs it. */
    public double epochProgress(int step) { return (double) step / stepsPerEpoch; }

    /**
     * Positions (into that epoch's permutation) of the micro-batches of optimizer step {@code step} (1-based):
     * element {@code [m]} is {@code {from, to}} of micro-batch m.
     */
    public long[][] microBatchRanges(int step) {
        int stepInEpoch = (step - 1) % stepsPerEpoch;
        long firstMicro = (long) stepInEpoch * gradientAccumulation;
        long microBatches = ceilDiv(numExamples, batchSize);
        long lastMicro = Math.min(firstMicro + gradientAccumulation, microBatches);
        long[][] ranges = new long[(int) (lastMicro - firstMicro)][];
        for (long m = firstMicro; m < lastMicro; m++) {
            long from = m * batchSize;
            ranges[(int) (m - firstMicro)] = new long[] {from, Math.min(from + batchSize, numExamples)};
        }
        return ranges;
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
