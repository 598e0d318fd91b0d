package org.dataflex.executors.train;

import org.dataflex.datasets.Example;
import org.dataflex.executors.io.SafeTensors;
import org.dataflex.executors.lora.LoraSpec;
import org.dataflex.executors.model.GptModel;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.testutil.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingReplicaTest {
    static final ModelConfig CONFIG = new ModelConfig(61, 32, 32, 2, 4);
    static final OptimizerSpec ADAM = new OptimizerSpec(3e-3, 0.01, 0.9, 0.999, 1e-8, 1.0, "cosine", 2, 40);

    static ReplicaSpec full(long seed) {
        return new ReplicaSpec(CONFIG, null, ADAM, null, seed);
    }

    static ReplicaSpec lora(double dropout) {
        return new ReplicaSpec(CONFIG, null, ADAM, new LoraSpec(4, 8, dropout, List.of("all")), 5);
    }

    static List<List<Example>> microBatches(int step) {
        List<Example> all = Examples.random(6, 4, 16, CONFIG.vocabSize(), 1000 + step);
        return List.of(all.subList(0, 3), all.subList(3, 6));
    }

    static void train(TrainingReplica r, int from, int steps) {
        for (int s = from; s < from + steps; s++) r.trainStep(microBatches(s));
    }

    @Test
    void lossFallsOnARepetitiveSequence() {
        int[] pattern = new int[24];
        for (int t = 0; t < pattern.length; t++) pattern[t] = 1 + (t % 6) * 7;
        List<List<Example>> batch = List.of(List.of(Examples.lm("rep", pattern)));
        OptimizerSpec spec = new OptimizerSpec(1e-2, 0.0, 0.9, 0.999, 1e-8, 1.0, "constant", 0, 30);
        try (TrainingReplica r = TrainingReplica.create(new ReplicaSpec(CONFIG, null, spec, null, 1))) {
            StepResult first = r.trainStep(batch);
            StepResult last = first;
            for (int i = 0; i < 29; i++) last = r.trainStep(batch);
            assertEquals(30, last.step());
            assertEquals(24, last.inputTokens());
            assertEquals(23, last.lossTokens());
            assertTrue(first.loss() > 3.5, "starts near log(61): " + first.loss());
            assertTrue(last.loss() < 0.5, "memorises the pattern: " + last.loss());
            assertTrue(first.gradNorm() > 0);
        }
    }

    /**
     * libtorch's grad mode is per thread and DJL switches it off only on the thread that loaded the engine; a Spark
     * task thread has it on. Weight decay and the AdamW update are in-place ops on leaf parameters, so a step on a
     * fresh thread must give the same weights as one on the loading thread, not an autograd error.
     */
    @Test
    void stepsOnAFreshThreadWithWeightDecayMatchTheLoadingThread() throws Exception {
        try (TrainingReplica here = TrainingReplica.create(full(9))) {
            train(here, 0, 2);
            byte[] expected = here.toBytes();
            byte[][] got = new byte[1][];
            Throwable[] failure = new Throwable[1];
            Thread worker = new Thread(() -> {
                try (TrainingReplica there = TrainingReplica.create(full(9))) {
                    train(there, 0, 2);
                    got[0] = there.toBytes();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            worker.start();
            worker.join();
            if (failure[0] != null) throw new AssertionError("step on a fresh thread failed", failure[0]);
            assertArrayEquals(expected, got[0]);
        }
    }

    @Test
    void stepResultReportsObjectiveScheduleAndTokens() {
        try (TrainingReplica r = TrainingReplica.create(full(3))) {
            List<List<Example>> mbs = microBatches(0);
            SampleLosses a = r.sampleLosses(mbs.get(0));
            SampleLosses b = r.sampleLosses(mbs.get(1));
            StepResult s = r.trainStep(mbs);
            assertEquals((a.tokenMean() + b.tokenMean()) / 2, s.loss(), 1e-5);
            assertEquals(0.0, s.learningRate()); // warmup starts at 0, as HF
            assertEquals(1, s.step());
            long lossTokens = mbs.stream().flatMap(List::stream).mapToLong(Example::lossTokens).sum();
            assertEquals(lossTokens, s.lossTokens());
            assertEquals(ADAM.learningRate() * 0.5, r.trainStep(microBatches(1)).learningRate(), 1e-12);
        }
    }

    @Test
    void stepsLeaveNoArraysBehindInTheModelManager() {
        try (TrainingReplica r = TrainingReplica.create(lora(0.1))) {
            train(r, 0, 1);
            int before = r.model().manager().getManagedArrays().size();
            train(r, 1, 2);
            r.sampleLosses(microBatches(5).get(0));
            assertEquals(before, r.model().manager().getManagedArrays().size());
        }
    }

    @Test
    void concurrentEvaluationsAgreeWithSequentialOnes() throws Exception {
        try (TrainingReplica r = TrainingReplica.create(full(4))) {
            List<Example> batch = Examples.random(12, 3, 20, CONFIG.vocabSize(), 77);
            SampleLosses expected = r.sampleLosses(batch);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<SampleLosses>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) futures.add(pool.submit(() -> r.sampleLosses(batch)));
                for (var f : futures) assertArrayEquals(expected.lossSums(), f.get().lossSums(), 1e-9);
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void sampleLossesKeepInputOrderAndMatchBatchLoss() {
        try (TrainingReplica r = TrainingReplica.create(full(3))) {
            List<Example> batch = Examples.random(9, 2, 30, CONFIG.vocabSize(), 8);
            SampleLosses all = r.sampleLosses(batch);
            assertEquals(batch.stream().map(Example::id).toList(), all.ids());
            for (int i = 0; i < batch.size(); i += 4) {
                SampleLosses one = r.sampleLosses(List.of(batch.get(i)));
                assertEquals(one.lossSums()[0], all.lossSums()[i], 1e-4);
                assertEquals(batch.get(i).lossTokens(), all.tokenCounts()[i]);
            }
        }
    }

    @Test
    void bytesRoundTripContinuesBitIdentically() {
        try (TrainingReplica straight = TrainingReplica.create(full(9));
             TrainingReplica first = TrainingReplica.create(full(9))) {
            train(straight, 0, 6);
            train(first, 0, 3);
            byte[] state = first.toBytes();
            try (TrainingReplica resumed = TrainingReplica.fromBytes(full(9), state)) {
                assertEquals(3, resumed.step());
                train(resumed, 3, 3);
                assertWeightsEqual(straight, resumed, 1e-6);
            }
        }
    }

    @Test
    void checkpointRoundTripContinuesIdentically(@TempDir Path dir) throws Exception {
        try (TrainingReplica straight = TrainingReplica.create(lora(0.1));
             TrainingReplica first = TrainingReplica.create(lora(0.1))) {
            train(straight, 0, 4);
            train(first, 0, 2);
            first.saveCheckpoint(dir);
            for (String f : List.of("model.safetensors", "config.json", "optimizer.safetensors", "replica_state.json",
                    "adapter_model.safetensors", "adapter_config.json")) {
                assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            }
            try (var files = Files.list(dir)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
            }
            Map<String, SafeTensors.Tensor> moments = SafeTensors.read(dir.resolve("optimizer.safetensors")).tensors();
            assertTrue(moments.containsKey("h.0.attn.c_attn.lora_A.weight.exp_avg_sq"));
            try (TrainingReplica resumed = TrainingReplica.loadCheckpoint(lora(0.1), dir)) {
                assertEquals(2, resumed.step());
                train(resumed, 2, 2);
                assertWeightsEqual(straight, resumed, 1e-6);
            }
        }
    }

    @Test
    void loraTrainsOnlyAdaptersAndExportsMergedAndPeftFiles(@TempDir Path dir) throws Exception {
        try (TrainingReplica r = TrainingReplica.create(lora(0.0));
             GptModel base = GptModel.initialize(CONFIG, 5)) {
            train(r, 0, 3);
            // base weights frozen
            for (String name : List.of("wte.weight", "h.1.attn.c_attn.weight", "ln_f.bias")) {
                assertArrayEquals(base.parameters().get(name).toFloatArray(),
                        r.model().parameters().get(name).toFloatArray(), 0f, name);
            }
            r.exportModel(dir);
            int[] tokens = {3, 9, 27, 4, 18, 50, 2};
            try (GptModel merged = GptModel.loadPretrained(dir)) {
                float[][] expected = r.model().logits(tokens);
                float[][] actual = merged.logits(tokens);
                for (int t = 0; t < tokens.length; t++) assertArrayEquals(expected[t], actual[t], 1e-4f);
                float[][] untrained = base.logits(tokens);
                assertFalse(java.util.Arrays.equals(untrained[3], actual[3]), "the adapters changed the model");
            }
            SafeTensors.Contents adapter = SafeTensors.read(dir.resolve("adapter_model.safetensors"));
            SafeTensors.Tensor a = adapter.tensors().get("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight");
            SafeTensors.Tensor b = adapter.tensors().get("base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight");
            assertArrayEquals(new long[] {4, 32}, a.shape());
            assertArrayEquals(new long[] {32, 4}, b.shape());
            assertEquals(2 * 4 * 2, adapter.tensors().size());
            String config = Files.readString(dir.resolve("adapter_config.json"));
            assertTrue(config.contains("\"peft_type\": \"LORA\"") && config.contains("\"r\": 4")
                    && config.contains("\"lora_alpha\": 8") && config.contains("c_fc"), config);
        }
    }

    @Test
    void nonFiniteLossThrowsNamingStepAndExamples() {
        OptimizerSpec huge = new OptimizerSpec(1e30, 0.0, 0.9, 0.999, 1e-8, 0.0, "constant", 0, 10);
        try (TrainingReplica r = TrainingReplica.create(new ReplicaSpec(CONFIG, null, huge, null, 1))) {
            List<List<Example>> batch = List.of(List.of(Examples.lm("boom", 1, 2, 3, 4, 5, 6)));
            r.trainStep(batch); // an absurd rate wrecks the weights
            NonFiniteLossException e = null;
            for (int i = 0; i < 5 && e == null; i++) {
                try {
                    r.trainStep(batch);
                } catch (NonFiniteLossException caught) {
                    e = caught;
                }
            }
            assertTrue(e != null, "a non-finite loss must be reported");
            assertTrue(e.getMessage().contains("boom") && e.getMessage().contains("step " + e.step()), e.getMessage());
            assertEquals(e.step() - 1, r.step(), "no update applied");
        }
    }

    @Test
    void emptyOrMismatchedInputsAreRejected() {
        try (TrainingReplica r = TrainingReplica.create(full(1))) {
            assertThrows(IllegalArgumentException.class, () -> r.trainStep(List.of()));
            Example noLoss = new Example("quiet", "d", new int[] {1, 2, 3}, new int[] {-100, -100, -100});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.trainStep(List.of(List.of(noLoss))));
            assertTrue(e.getMessage().contains("quiet"));
            byte[] state = r.toBytes();
            ReplicaSpec other = new ReplicaSpec(new ModelConfig(61, 32, 32, 1, 4), null, ADAM, null, 1);
            assertThrows(IllegalArgumentException.class, () -> TrainingReplica.fromBytes(other, state));
        }
    }

    static void assertWeightsEqual(TrainingReplica expected, TrainingReplica actual, double tol) {
        Map<String, SafeTensors.Tensor> a = expected.model().mergedTensors();
        Map<String, SafeTensors.Tensor> b = actual.model().mergedTensors();
        assertEquals(a.keySet(), b.keySet());
        List<String> differing = new ArrayList<>();
        for (String k : a.keySet()) {
            float[] x = a.get(k).data();
            float[] y = b.get(k).data();
            for (int i = 0; i < x.length; i++) {
                if (Math.abs(x[i] - y[i]) > tol) {
                    differing.add(k + "[" + i + "]: " + x[i] + " vs " + y[i]);
                    break;
                }
            }
        }
        assertTrue(differing.isEmpty(), differing.toString());
    }
}
