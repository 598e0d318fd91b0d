package org.dataflex.executors.optim;

import java.util.List;

/**
 * Learning-rate multipliers of HF {@code get_scheduler} as pure functions of the optimizer step (the number of
 * updates already applied: the first update uses step 0, so a warmup starts from a zero rate as in HF).
 */
public record LrSchedule(String name, int warmupSteps, int totalSteps) {
    public static final List<String> NAMES = List.of("linear", "cosine", "constant", "constant_with_warmup");

    public LrSchedule {
        requireKnown(name);
    }

    static void requireKnown(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown lr_scheduler_type '" + name + "'; supported: "
                    + String.join(", ", NAMES));
        }
    }

    public double multiplier(long step) {
        if (name.equals("constant")) return 1.0;
        if (step < warmupSteps) return (double) step / Math.max(1, warmupSteps);
        return switch (name) {
            case "constant_with_warmup" -> 1.0;
            case "linear" -> Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
            case "cosine" -> {
                double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
            }
            default -> throw new IllegalStateException("unreachable schedule " + name);
        };
    }
}
