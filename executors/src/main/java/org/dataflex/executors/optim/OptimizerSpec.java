package org.dataflex.executors.optim;

import java.io.Serializable;

/**
 * AdamW and learning-rate schedule settings (HF Trainer names: learning_rate, weight_decay, adam_beta1,
 * adam_beta2, adam_epsilon, max_grad_norm (0 = no clipping), lr_scheduler_type, warmup steps, total steps).
 * Callers convert warmup_ratio with {@code warmupSteps = ceil(ratio * totalSteps)}.
 */
public record OptimizerSpec(double learningRate, double weightDecay, double beta1, double beta2, double epsilon,
                            double maxGradNorm, String lrScheduler, int warmupSteps, int totalSteps)
        implements Serializable {
    public OptimizerSpec {
        if (!(learningRate >= 0)) throw new IllegalArgumentException("learning_rate must be >= 0, got " + learningRate);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay must be >= 0, got " + weightDecay);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("adam_beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("adam_beta2 must be in [0, 1), got " + beta2);
        if (!(epsilon > 0)) throw new IllegalArgumentException("adam_epsilon must be positive, got " + epsilon);
        if (!(maxGradNorm >= 0)) throw new IllegalArgumentException("max_grad_norm must be >= 0, got " + maxGradNorm);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
        if (totalSteps < 0) throw new IllegalArgumentException("total steps must be >= 0, got " + totalSteps);
        LrSchedule.requireKnown(lrScheduler);
    }

    /** HF TrainingArguments defaults with the given rate, schedule and step counts. */
    public static OptimizerSpec defaults(double learningRate, String lrScheduler, int warmupSteps, int totalSteps) {
        return new OptimizerSpec(learningRate, 0.0, 0.9, 0.999, 1e-8, 1.0, lrScheduler, warmupSteps, totalSteps);
    }

    /** {@code ceil(ratio * totalSteps)}, as HF's get_warmup_steps. */
    public static int warmupStepsFromRatio(double ratio, int totalSteps) {
        if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException("warmup_ratio must be in [0, 1], got " + ratio);
        return (int) Math.ceil(ratio * totalSteps);
    }

    public LrSchedule schedule() {
        return new LrSchedule(lrScheduler, warmupSteps, totalSteps);
    }
}
