package org.dataflex.executors.train;

import org.dataflex.datasets.Example;
import org.dataflex.executors.lora.LoraSpec;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.optim.OuterOptimizer;
import org.dataflex.executors.testutil.Examples;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import static org.dataflex.executors.train.TrainingReplicaTest.CONFIG;
import static org.dataflex.executors.train.TrainingReplicaTest.assertWeightsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synchronous data parallelism (gradient shards) and parameter averaging against a single replica. */
class DataParallelTest {
    /** Weight decay on, and a max_grad_norm small enough that every step clips. */
    static final OptimizerSpec CLIPPING = new OptimizerSpec(3e-3, 0.05, 0.9, 0.999, 1e-8, 0.25, "linear", 1, 20);

    static ReplicaSpec full() {
        return new ReplicaSpec(CONFIG, null, CLIPPING, null, 21);
    }

    static List<List<Example>> microBatches(int step, int count) {
        List<Example> all = Examples.random(2 * count, 3, 14, CONFIG.vocabSize(), 500 + step);
        List<List<Example>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(all.subList(2 * i, 2 * i + 2));
        return out;
    }

    /**
     * Runs the step's micro-batches on the replicas (micro-batch m on replica {@code owners[m]}), sums the shards
     * in replica order and applies the total everywhere; returns each replica's result.
     */
    static List<StepResult> dataParallelStep(List<TrainingReplica> replicas, List<List<Example>> mbs, int[] owners) {
        List<GradientShard> shards = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            List<List<Example>> mine = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (int m = 0; m < mbs.size(); m++) {
                if (owners[m] == r) {
                    mine.add(mbs.get(m));
                    indices.add(m);
                }
            }
            int[] idx = indices.stream().mapToInt(Integer::intValue).toArray();
            shards.add(replicas.get(r).computeGradients(mine, idx, mbs.size()));
        }
        GradientShard total = GradientShard.sum(shards);
        List<StepResult> results = new ArrayList<>();
        for (TrainingReplica r : replicas) results.add(r.applyGradients(total));
        return results;
    }

    /** Owners for contiguous runs: {@code counts[r]} micro-batches on replica r, in order. */
    static int[] contiguous(int... counts) {
        int[] owners = new int[Arrays.stream(counts).sum()];
        int m = 0;
        for (int r = 0; r < counts.length; r++) {
            for (int i = 0; i < counts[r]; i++) owners[m++] = r;
        }
        return owners;
    }

    /** Owners for the driver's round-robin assignment (micro-batch m on replica m % replicas). */
    static int[] roundRobin(int microBatches, int replicas) {
        int[] owners = new int[microBatches];
        for (int m = 0; m < microBatches; m++) owners[m] = m % replicas;
        return owners;
    }

    static <T> T onFreshThread(Callable<T> work) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = work.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        worker.start();
        worker.join();
        if (failure[0] != null) throw new AssertionError("work on a fresh thread failed", failure[0]);
        @SuppressWarnings("unchecked") T t = (T) result[0];
        return t;
    }

    /**
     * K replicas from the same bytes, each step's micro-batches split unevenly across them (one replica sometimes
     * idle), match one replica running trainStep on all of them, with weight decay and clipping active. The
     * replicas run on a fresh thread, where libtorch's grad mode is on as in a Spark task.
     */
    void matchesSingleReplica(ReplicaSpec spec, int replicaCount, int[][] ownersPerStep) throws Exception {
        try (TrainingReplica single = TrainingReplica.create(spec)) {
            byte[] initial = single.toBytes();
            List<TrainingReplica> replicas = new ArrayList<>();
            try {
                for (int r = 0; r < replicaCount; r++) replicas.add(TrainingReplica.fromBytes(spec, initial));
                for (int s = 0; s < ownersPerStep.length; s++) {
                    int[] owners = ownersPerStep[s];
                    List<List<Example>> mbs = microBatches(s, owners.length);
                    StepResult expected = single.trainStep(mbs);
                    List<StepResult> got = onFreshThread(() -> dataParallelStep(replicas, mbs, owners));
                    assertTrue(expected.gradNorm() > spec.optimizer().maxGradNorm(), "clipping is active");
                    for (StepResult r : got) {
                        assertEquals(expected.step(), r.step());
                        assertEquals(expected.loss(), r.loss(), 1e-9);
                        assertEquals(expected.gradNorm(), r.gradNorm(), 1e-6);
                        assertEquals(expected.learningRate(), r.learningRate(), 0.0);
                        assertEquals(expected.inputTokens(), r.inputTokens());
                        assertEquals(expected.lossTokens(), r.lossTokens());
                    }
                    for (TrainingReplica r : replicas) assertWeightsEqual(single, r, 1e-6);
                    byte[] first = replicas.get(0).toBytes();
                    for (TrainingReplica r : replicas.subList(1, replicas.size())) {
                        assertArrayEquals(first, r.toBytes(), "replicas stay bit-identical (weights and moments)");
                    }
                }
            } finally {
                for (TrainingReplica r : replicas) r.close();
            }
        }
    }

    @Test
    void twoReplicasMatchOneIncludingUnevenSplits() throws Exception {
        matchesSingleReplica(full(), 2, new int[][] {contiguous(2, 1), contiguous(1, 1), contiguous(1, 2),
                contiguous(3, 1), roundRobin(3, 2)});
    }

    @Test
    void threeReplicasMatchOneIncludingAnIdleReplica() throws Exception {
        matchesSingleReplica(full(), 3, new int[][] {contiguous(1, 1, 1), contiguous(2, 1, 1), contiguous(1, 0, 1),
                roundRobin(5, 3)});
    }

    @Test
    void loraWithDropoutMatchesOneReplicaWhenShardsKnowTheirIndices() throws Exception {
        // LoRA B starts at zero, so adapter gradients are small: clip harder to keep clipping active
        OptimizerSpec tight = new OptimizerSpec(3e-3, 0.05, 0.9, 0.999, 1e-8, 1e-3, "linear", 1, 20);
        ReplicaSpec lora = new ReplicaSpec(CONFIG, null, tight, new LoraSpec(4, 8, 0.2, List.of("all")), 6);
        matchesSingleReplica(lora, 2, new int[][] {contiguous(2, 1), roundRobin(3, 2), contiguous(1, 2)});
    }

    @Test
    void shardHoldsScaledGradientsLossAndCountsWithoutUpdating() {
        try (TrainingReplica r = TrainingReplica.create(full());
             TrainingReplica twin = TrainingReplica.create(full())) {
            List<List<Example>> mbs = microBatches(7, 3);
            float[] before = r.trainableParameters();
            GradientShard whole = r.computeGradients(mbs, 3);
            GradientShard diluted = r.computeGradients(mbs, 6);
            assertEquals(0, r.step(), "computing gradients does not step");
            assertArrayEquals(before, r.trainableParameters(), 0f, "nor changes weights");
            assertEquals(r.trainableParameterCount(), whole.gradients().length);
            assertEquals(CONFIG.parameterCount(), r.trainableParameterCount());
            assertEquals(3, whole.microBatches());
            assertTrue(whole.complete());
            assertFalse(diluted.complete());
            for (int i = 0; i < whole.gradients().length; i += 97) {
                assertEquals(whole.gradients()[i] / 2, diluted.gradients()[i], 1e-9, "objective / totalMicroBatches");
            }
            List<String> ids = mbs.stream().flatMap(List::stream).map(Example::id).toList();
            assertEquals(ids, whole.exampleIds());
            assertEquals(mbs.stream().flatMap(List::stream).mapToLong(Example::lossTokens).sum(), whole.lossTokens());
            StepResult s = twin.trainStep(mbs);
            assertEquals(s.loss(), whole.loss(), 1e-12);
            assertEquals(s.loss() * 3, whole.lossSum(), 1e-12);
            assertEquals(s.inputTokens(), whole.inputTokens());
            StepResult applied = r.applyGradients(whole);
            assertEquals(s.gradNorm(), applied.gradNorm(), 1e-9);
            assertWeightsEqual(twin, r, 0.0);
        }
    }

    @Test
    void shardsUpdatesAndParameterWritesLeaveNoArraysBehind() {
        ReplicaSpec lora = new ReplicaSpec(CONFIG, null, CLIPPING, new LoraSpec(4, 8, 0.1, List.of("all")), 6);
        try (TrainingReplica r = TrainingReplica.create(lora)) {
            r.applyGradients(r.computeGradients(microBatches(0, 2), 2));
            int before = r.model().manager().getManagedArrays().size();
            for (int s = 1; s < 3; s++) r.applyGradients(r.computeGradients(microBatches(s, 2), 2));
            r.setTrainableParameters(r.trainableParameters());
            assertEquals(before, r.model().manager().getManagedArrays().size());
        }
    }

    @Test
    void treeMergeEqualsTheSumUpToRounding() {
        try (TrainingReplica r = TrainingReplica.create(full())) {
            List<List<Example>> mbs = microBatches(3, 4);
            List<GradientShard> shards = new ArrayList<>();
            for (int i = 0; i < 4; i++) shards.add(r.computeGradients(mbs.subList(i, i + 1), new int[] {i}, 4));
            GradientShard folded = GradientShard.sum(shards);
            GradientShard tree = GradientShard.merge(GradientShard.merge(shards.get(0), shards.get(1)),
                    GradientShard.merge(shards.get(2), shards.get(3)));
            assertArrayEquals(folded.gradients(), tree.gradients(), 1e-7f);
            assertEquals(folded.lossSum(), tree.lossSum(), 1e-12);
            assertEquals(folded.exampleIds(), tree.exampleIds());
            assertEquals(4, tree.microBatches());
        }
    }

    @Test
    void mismatchedOrIncompleteShardsAreRejected() {
        try (TrainingReplica r = TrainingReplica.create(full())) {
            List<List<Example>> mbs = microBatches(1, 2);
            GradientShard half = r.computeGradients(mbs.subList(0, 1), new int[] {0}, 2);
            IllegalArgumentException incomplete = assertThrows(IllegalArgumentException.class,
                    () -> r.applyGradients(half));
            assertTrue(incomplete.getMessage().contains("covers 1 of the step's 2"), incomplete.getMessage());
            GradientShard otherTotal = r.computeGradients(mbs.subList(1, 2), new int[] {0}, 3);
            assertThrows(IllegalArgumentException.class, () -> GradientShard.merge(half, otherTotal));
            assertThrows(IllegalArgumentException.class, () -> GradientShard.sum(List.of(half, half, half)));
            assertThrows(IllegalArgumentException.class, () -> r.computeGradients(mbs, new int[] {1, 2}, 2));
            assertThrows(IllegalArgumentException.class, () -> r.computeGradients(mbs, new int[] {1, 1}, 2));
            assertThrows(IllegalArgumentException.class, () -> r.computeGradients(mbs, new int[] {0}, 2));
            GradientShard total = GradientShard.merge(half, r.computeGradients(mbs.subList(1, 2), new int[] {1}, 2));
            r.applyGradients(total);
            IllegalArgumentException stale = assertThrows(IllegalArgumentException.class, () -> r.applyGradients(total));
            assertTrue(stale.getMessage().contains("step 0") && stale.getMessage().contains("step 1"),
                    stale.getMessage());
            GradientShard shortOne = new GradientShard(1, 1, 1, new float[3], 1.0, 4, 3, List.of("x"));
            assertThrows(IllegalArgumentException.class, () -> r.applyGradients(shortOne));
            Example quiet = new Example("quiet", "d", new int[] {1, 2, 3}, new int[] {-100, -100, -100});
            GradientShard silent = r.computeGradients(List.of(List.of(quiet)), 1);
            assertEquals(0, silent.lossTokens());
            IllegalArgumentException noLoss = assertThrows(IllegalArgumentException.class,
                    () -> r.applyGradients(silent));
            assertTrue(noLoss.getMessage().contains("quiet"), noLoss.getMessage());
        }
    }

    @Test
    void nonFiniteGradientTotalThrowsWithoutUpdating() {
        try (TrainingReplica r = TrainingReplica.create(full())) {
            float[] before = r.trainableParameters();
            float[] grads = new float[r.trainableParameterCount()];
            grads[5] = Float.NaN;
            GradientShard poisoned = new GradientShard(0, 1, 1, grads, 2.0, 8, 7, List.of("nan-example"));
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> r.applyGradients(poisoned));
            assertEquals(1, e.step());
            assertTrue(e.getMessage().contains("nan-example"), e.getMessage());
            assertEquals(0, r.step());
            assertArrayEquals(before, r.trainableParameters(), 0f);
            GradientShard infiniteLoss = new GradientShard(0, 1, 1, new float[grads.length],
                    Double.POSITIVE_INFINITY, 8, 7, List.of("inf-example"));
            assertThrows(NonFiniteLossException.class, () -> r.applyGradients(infiniteLoss));
            assertEquals(0, r.step());
        }
    }

    /**
     * Local SGD's step on a replica's share: with the positions 0..n-1 of an n-micro-batch step it is trainStep
     * exactly; with LoRA dropout a share's masks follow its positions in the global step, as in a full step.
     */
    @Test
    void aShareOfAStepTrainsLikeTrainStepOnTheSameMicroBatches() throws Exception {
        List<List<Example>> mbs = microBatches(30, 3);
        try (TrainingReplica whole = TrainingReplica.create(full());
             TrainingReplica share = TrainingReplica.fromBytes(full(), whole.toBytes())) {
            for (int s = 0; s < 3; s++) {
                StepResult a = whole.trainStep(mbs);
                StepResult b = onFreshThread(() -> share.trainStep(mbs, new int[] {0, 1, 2}, 3));
                assertEquals(a, b);
            }
            assertWeightsEqual(whole, share, 0.0);
            assertThrows(IllegalArgumentException.class, () -> share.trainStep(mbs.subList(0, 2), new int[] {0, 3}, 3),
                    "positions must lie inside the step");
            assertThrows(IllegalArgumentException.class, () -> share.trainStep(List.of(), new int[0], 3));
        }
        LoraSpec lora = new LoraSpec(4, 8, 0.3, List.of("c_attn"));
        ReplicaSpec spec = new ReplicaSpec(CONFIG, null, CLIPPING, lora, 21);
        try (TrainingReplica at1 = TrainingReplica.create(spec);
             TrainingReplica at0 = TrainingReplica.fromBytes(spec, at1.toBytes());
             TrainingReplica again = TrainingReplica.fromBytes(spec, at1.toBytes())) {
            for (int s = 0; s < 2; s++) { // the first step has lr 0 (warmup)
                at1.trainStep(mbs.subList(0, 1), new int[] {1}, 3);
                at0.trainStep(mbs.subList(0, 1), new int[] {0}, 3);
                again.trainStep(mbs.subList(0, 1), new int[] {1}, 3);
            }
            assertWeightsEqual(at1, again, 0.0);
            assertFalse(Arrays.equals(at1.trainableParameters(), at0.trainableParameters()),
                    "the dropout mask depends on the micro-batch's position in the step");
        }
    }

    /** A replica without data in a step keeps its weights but advances its step and learning-rate schedule. */
    @Test
    void anIdleStepAdvancesTheScheduleWithoutUpdating() {
        try (TrainingReplica idle = TrainingReplica.create(full());
             TrainingReplica busy = TrainingReplica.fromBytes(full(), idle.toBytes())) {
            float[] before = idle.trainableParameters();
            StepResult i1 = idle.idleStep();
            StepResult b1 = busy.trainStep(microBatches(40, 1));
            StepResult i2 = idle.idleStep();
            StepResult b2 = busy.trainStep(microBatches(41, 1));
            assertArrayEquals(before, idle.trainableParameters(), 0f);
            assertEquals(2, idle.step());
            assertEquals(b1.learningRate(), i1.learningRate(), 0.0);
            assertEquals(b2.learningRate(), i2.learningRate(), 0.0);
            assertEquals(0, i2.inputTokens());
        }
    }

    /**
     * Local SGD: replicas from the same bytes train on different data and drift apart; plain averaging through
     * the flattened parameters makes their weights equal to the mean, and training continues from there (on a
     * fresh thread, where writing into leaves must run with grad mode off).
     */
    @Test
    void parameterAveragingSynchronisesReplicasThatThenKeepTraining() throws Exception {
        try (TrainingReplica a = TrainingReplica.create(full());
             TrainingReplica b = TrainingReplica.fromBytes(full(), a.toBytes())) {
            float[] global = a.trainableParameters();
            for (int s = 0; s < 2; s++) { // the first step has lr 0 (warmup)
                a.trainStep(microBatches(10 + s, 2));
                b.trainStep(microBatches(20 + s, 2));
            }
            float[] pa = a.trainableParameters();
            float[] pb = b.trainableParameters();
            assertFalse(Arrays.equals(pa, pb), "different data moved the replicas apart");
            float[] averaged = OuterOptimizer.mean(List.of(pa, pb));
            float[] next = OuterOptimizer.averaging().step(global, averaged);
            assertArrayEquals(averaged, next, 0f);
            onFreshThread(() -> {
                a.setTrainableParameters(next);
                b.setTrainableParameters(next);
                return null;
            });
            assertArrayEquals(next, a.trainableParameters(), 0f);
            assertWeightsEqual(a, b, 0.0);
            assertEquals(2, a.step(), "the step counter is untouched");
            StepResult continued = onFreshThread(() -> a.trainStep(microBatches(12, 2)));
            assertTrue(Double.isFinite(continued.loss()));
            assertFalse(Arrays.equals(next, a.trainableParameters()), "training continues from the average");
            try (TrainingReplica restored = TrainingReplica.fromBytes(full(), b.toBytes())) {
                assertArrayEquals(next, restored.trainableParameters(), 0f, "toBytes carries the written values");
            }
            assertThrows(IllegalArgumentException.class, () -> a.setTrainableParameters(new float[3]));
        }
    }

    @Test
    void loraFlattensOnlyTheAdapters() {
        ReplicaSpec lora = new ReplicaSpec(CONFIG, null, CLIPPING, new LoraSpec(4, 8, 0.0, List.of("all")), 6);
        try (TrainingReplica r = TrainingReplica.create(lora)) {
            List<String> names = r.trainableParameterNames();
            assertTrue(names.stream().allMatch(n -> n.contains("lora_")), names.toString());
            assertEquals(r.model().lora().parameters().values().stream().mapToLong(p -> p.size()).sum(),
                    r.trainableParameterCount());
            float[] base = r.model().parameters().get("wte.weight").toFloatArray();
            float[] values = r.trainableParameters();
            for (int i = 0; i < values.length; i++) values[i] = 0.001f * (i % 13);
            r.setTrainableParameters(values);
            assertArrayEquals(values, r.trainableParameters(), 0f);
            assertArrayEquals(base, r.model().parameters().get("wte.weight").toFloatArray(), 0f, "base stays frozen");
        }
    }
}
