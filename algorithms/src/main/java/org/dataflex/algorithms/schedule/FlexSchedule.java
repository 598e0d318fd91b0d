package org.dataflex.algorithms.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The step schedule of the dynamic-select trainer (spec §3.1.1–§3.1.4) as a pure function of the configuration.
 *
 * <p>A <em>Flex epoch</em> is a block of {@link #epochUpdateSteps()} optimizer steps. It starts with a warmup subset
 * of {@code TB·W} indices drawn uniformly with replacement, followed by selections of {@code TB·U} indices every
 * {@code U} steps. {@code TB = per_device_train_batch_size · gradient_accumulation_steps · world_size}.
 * Rules for the length:
 * <ul>
 *   <li>{@code update_times T > 0}: a Flex epoch is {@code W + U·T} steps with exactly T selections;</li>
 *   <li>{@code T <= 0} and {@code train_step S <= 0}: a Flex epoch is one data pass, {@code ceil(N / TB)} steps,
 *       and the selector is told {@code T_eff = max(1, ceil((flex_len − W) / U))};</li>
 *   <li>{@code S > 0} and {@code T <= 0}: there are no Flex epochs (undefined length), selections every U steps
 *       until the end, and T is passed to the selector unchanged.</li>
 * </ul>
 * {@code max_steps} is S when S > 0, else {@code ceil(E · flex_len)} (fractional epochs allowed; a product within
 * 1e-9 of an integer counts as that integer, so {@code 1.1 × 10} is 11 steps rather than 12).
 *
 * <p>Events are keyed by the global step after which they happen (optimizer steps done so far; 0 = before the first
 * step). There is never an event at {@code max_steps}.
 */
public final class FlexSchedule {

    /** What the trainer does at an event. */
    public enum Kind {
        /** Train the next steps on a uniform-with-replacement subset of {@code TB·W} indices. */
        WARMUP,
        /** Ask the selector for {@code TB·U} indices and train the next U steps on them. */
        SELECT
    }

    /**
     * One scheduled action.
     *
     * @param kind               warmup or selection
     * @param step               the global step after which it happens (0 = before training)
     * @param numIndices         how many indices the new subset holds ({@code TB·W} or {@code TB·U})
     * @param currentUpdateTimes for SELECT, the 1-based index of this selection within its Flex epoch; 0 for WARMUP
     * @param updateTimes        for SELECT, the update count the selector is told (§3.1.4, possibly derived, or the
     *                           configured value ≤ 0 when there are no Flex epochs); 0 for WARMUP
     */
    public record Event(Kind kind, int step, int numIndices, int currentUpdateTimes, int updateTimes) {}

    private final int maxSteps;
    private final Integer epochUpdateSteps;
    private final int totalBatchSize;
    private final int warmupStep;
    private final int updateStep;
    private final int updateTimes;
    private final List<Event> events;

    private FlexSchedule(int maxSteps, Integer epochUpdateSteps, int totalBatchSize, int warmupStep, int updateStep,
                         int updateTimes) {
        this.maxSteps = maxSteps;
        this.epochUpdateSteps = epochUpdateSteps;
        this.totalBatchSize = totalBatchSize;
        this.warmupStep = warmupStep;
        this.updateStep = updateStep;
        this.updateTimes = updateTimes;
        List<Event> all = new ArrayList<>();
        for (int g = 0; g < maxSteps; g++) {
            computeEventAt(g).ifPresent(all::add);
        }
        this.events = Collections.unmodifiableList(all);
    }

    /**
     * Validates the configuration (before any training) and plans the schedule.
     *
     * @param n              training examples N
     * @param batchSize      per_device_train_batch_size
     * @param gradAccum      gradient_accumulation_steps
     * @param worldSize      data-parallel ranks
     * @param warmupStep     warmup_step W (≥ 1)
     * @param updateStep     update_step U (≥ 1)
     * @param updateTimes    update_times T (≤ 0: derive from the data size, or run until the end with train_step)
     * @param numTrainEpochs num_train_epochs E, the number of Flex epochs (ignored when train_step > 0)
     * @param trainStep      train_step S (> 0: exact number of optimizer steps)
     * @throws IllegalArgumentException naming the offending configuration key
     */
    public static FlexSchedule plan(long n, int batchSize, int gradAccum, int worldSize, int warmupStep,
                                    int updateStep, int updateTimes, double numTrainEpochs, int trainStep) {
        requireAtLeastOne("per_device_train_batch_size", batchSize);
        requireAtLeastOne("gradient_accumulation_steps", gradAccum);
        requireAtLeastOne("world size (number of data-parallel ranks)", worldSize);
        if (n <= 0) throw new IllegalArgumentException("the training set is empty (0 examples)");
        if (warmupStep < 1) {
            throw new IllegalArgumentException("warmup_step must be >= 1 for train_type dynamic_select, got "
                    + warmupStep + " (with 0 the warmup subset is empty and training would stop after 0 steps)");
        }
        if (updateStep < 1) {
            throw new IllegalArgumentException("update_step must be >= 1 for train_type dynamic_select, got "
                    + updateStep);
        }
        long tb = (long) batchSize * gradAccum * worldSize;
        if (tb > Integer.MAX_VALUE) throw new IllegalArgumentException("total batch size " + tb + " is too large");
        String product = worldSize == 1
                ? "per_device_train_batch_size x gradient_accumulation_steps"
                : "per_device_train_batch_size x gradient_accumulation_steps x world_size";
        String factors = worldSize == 1 ? batchSize + " x " + gradAccum
                : batchSize + " x " + gradAccum + " x " + worldSize;
        long perUpdate = tb * updateStep;
        if (perUpdate > n) {
            throw new IllegalArgumentException("update_step is too large: " + product + " x update_step = "
                    + perUpdate + " exceeds the " + n + " training examples (" + factors + " x " + updateStep
                    + "); lower update_step or the batch size");
        }
        long perWarmup = tb * warmupStep;
        if (perWarmup > n) {
            throw new IllegalArgumentException("warmup_step is too large: " + product + " x warmup_step = "
                    + perWarmup + " exceeds the " + n + " training examples (" + factors + " x " + warmupStep
                    + "); lower warmup_step or the batch size");
        }

        Integer epochUpdateSteps = null;
        if (updateTimes > 0) {
            epochUpdateSteps = Math.toIntExact(Math.max(1L, warmupStep + (long) updateStep * updateTimes));
        }
        int maxSteps;
        if (trainStep > 0) {
            maxSteps = trainStep;
        } else {
            if (!(numTrainEpochs > 0) || Double.isInfinite(numTrainEpochs)) {
                throw new IllegalArgumentException("num_train_epochs must be a positive number when train_step is not"
                        + " set (it counts Flex epochs), got " + numTrainEpochs);
            }
            if (epochUpdateSteps == null) {
                // T <= 0 without train_step: a Flex epoch is as long as one pass over the full data.
                epochUpdateSteps = Math.toIntExact(Math.max(1L, (n + tb - 1) / tb));
            }
            maxSteps = ceilSteps(numTrainEpochs, epochUpdateSteps);
        }
        return new FlexSchedule(maxSteps, epochUpdateSteps, (int) tb, warmupStep, updateStep, updateTimes);
    }

    /** Total optimizer steps of the run. */
    public int maxSteps() { return maxSteps; }

    /** Steps per Flex epoch, or null when undefined (train_step > 0 with update_times ≤ 0: no Flex epochs). */
    public Integer epochUpdateSteps() { return epochUpdateSteps; }

    /** {@code TB}: samples consumed by one optimizer step over all ranks. */
    public int totalBatchSize() { return totalBatchSize; }

    /** Size of every warmup subset, {@code TB·W}. */
    public int warmupSize() { return totalBatchSize * warmupStep; }

    /** Size of every selection, {@code TB·U}. */
    public int selectionSize() { return totalBatchSize * updateStep; }

    /** All events of the run, in step order. */
    public List<Event> events() { return events; }

    /** The event after {@code globalStep} optimizer steps, if any (0 = before the first step). */
    public Optional<Event> eventAt(int globalStep) {
        if (globalStep < 0 || globalStep >= maxSteps) return Optional.empty();
        return computeEventAt(globalStep);
    }

    /** The post-step hook of §3.1.4; step 0 is the initial warmup. */
    private Optional<Event> computeEventAt(int g) {
        if (g == 0) return Optional.of(new Event(Kind.WARMUP, 0, warmupSize(), 0, 0));
        int s = epochUpdateSteps != null ? g % epochUpdateSteps : g;
        if (epochUpdateSteps != null && s == 0) {
            return Optional.of(new Event(Kind.WARMUP, g, warmupSize(), 0, 0));
        }
        if (s == warmupStep || (s > warmupStep && (s - warmupStep) % updateStep == 0)) {
            int current = (s - warmupStep) / updateStep + 1;
            int effective = updateTimes;
            if (effective <= 0 && epochUpdateSteps != null) {
                long remaining = Math.max(epochUpdateSteps - warmupStep, 0);
                effective = (int) Math.max(1L, (remaining + updateStep - 1) / updateStep);
            }
            return Optional.of(new Event(Kind.SELECT, g, selectionSize(), current, effective));
        }
        return Optional.empty();
    }

    private static int ceilSteps(double epochs, int stepsPerEpoch) {
        double exact = epochs * stepsPerEpoch;
        double rounded = Math.rint(exact);
        double steps = Math.abs(exact - rounded) < 1e-9 ? rounded : Math.ceil(exact);
        if (steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("num_train_epochs " + epochs + " gives more than " + Integer.MAX_VALUE
                    + " optimizer steps");
        }
        return Math.max(1, (int) steps);
    }

    private static void requireAtLeastOne(String key, int value) {
        if (value < 1) throw new IllegalArgumentException(key + " must be >= 1, got " + value);
    }
}
