package org.dataflex.executors.model;

import ai.djl.ndarray.NDManager;
import org.dataflex.datasets.Example;
import org.dataflex.executors.testutil.Examples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptModelTest {
    static final ModelConfig CONFIG = new ModelConfig(97, 32, 32, 2, 4);
    static GptModel model;

    @BeforeAll
    static void setUp() {
        model = GptModel.initialize(CONFIG, 7);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void parameterNamesAndShapesFollowGpt2() {
        assertEquals(2 + 2 * 12 + 2, model.parameters().size());
        assertArrayEquals(new long[] {97, 32}, model.parameters().get("wte.weight").getShape().getShape());
        assertArrayEquals(new long[] {32, 96}, model.parameters().get("h.1.attn.c_attn.weight").getShape().getShape());
        assertArrayEquals(new long[] {128, 32}, model.parameters().get("h.0.mlp.c_proj.weight").getShape().getShape());
        long total = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
        assertEquals(CONFIG.parameterCount(), total);
    }

    @Test
    void initialisationFollowsGpt2Statistics() {
        float[] w = model.parameters().get("h.0.attn.c_attn.weight").toFloatArray();
        float[] proj = model.parameters().get("h.0.mlp.c_proj.weight").toFloatArray();
        assertEquals(0.02, std(w), 0.002);
        assertEquals(0.02 / Math.sqrt(4), std(proj), 0.001);
        assertEquals(1f, model.parameters().get("ln_f.weight").toFloatArray()[3]);
        assertEquals(0f, model.parameters().get("h.1.mlp.c_fc.bias").toFloatArray()[5]);
        try (GptModel again = GptModel.initialize(CONFIG, 7)) {
            assertArrayEquals(w, again.parameters().get("h.0.attn.c_attn.weight").toFloatArray());
        }
    }

    private static double std(float[] v) {
        double s = 0, s2 = 0;
        for (float x : v) { s += x; s2 += x * x; }
        double m = s / v.length;
        return Math.sqrt(s2 / v.length - m * m);
    }

    @Test
    void logitsBeforePositionTIgnoreLaterTokens() {
        int[] a = {5, 9, 13, 2, 44, 61, 7, 8};
        int[] b = a.clone();
        b[5] = 90;
        b[7] = 1;
        float[][] la = model.logits(a);
        float[][] lb = model.logits(b);
        for (int t = 0; t < 5; t++) assertArrayEquals(la[t], lb[t], 1e-5f, "position " + t);
        assertFalse(java.util.Arrays.equals(la[5], lb[5]));
    }

    @Test
    void lossesBeforePositionTIgnoreLaterTokens() {
        Example a = Examples.lm("a", 5, 9, 13, 2, 44, 61, 7, 8);
        int[] changed = a.inputIds().clone();
        changed[6] = 3;
        int[] labels = changed.clone();
        labels[6] = Example.IGNORE_INDEX; // the changed token is no target either
        labels[7] = Example.IGNORE_INDEX;
        int[] aLabels = a.labels().clone();
        aLabels[6] = Example.IGNORE_INDEX;
        aLabels[7] = Example.IGNORE_INDEX;
        double la = sampleSum(new Example("a", "d", a.inputIds(), aLabels));
        double lb = sampleSum(new Example("b", "d", changed, labels));
        assertEquals(la, lb, 1e-5);
    }

    private static double sampleSum(Example e) {
        try (NDManager step = model.manager().newSubManager()) {
            return CausalLmLoss.compute(model, TokenBatch.of(List.of(e), CONFIG), step, false).sampleSums()[0];
        }
    }

    @Test
    void perSampleLossesReproduceBatchLossAndIgnorePadding() {
        List<Example> batch = Examples.random(5, 3, 20, CONFIG.vocabSize(), 11);
        try (NDManager step = model.manager().newSubManager()) {
            CausalLmLoss.Result r = CausalLmLoss.compute(model, TokenBatch.of(batch, CONFIG), step, false);
            double sum = 0;
            int count = 0;
            for (int i = 0; i < batch.size(); i++) {
                sum += r.sampleSums()[i];
                count += r.sampleCounts()[i];
                assertEquals(batch.get(i).lossTokens(), r.sampleCounts()[i]);
                // alone (no padding) the sample has the same loss as inside the padded batch
                assertEquals(sampleSum(batch.get(i)), r.sampleSums()[i], 2e-4 * Math.max(1, r.sampleSums()[i]));
            }
            assertEquals(count, r.lossTokens());
            assertEquals(r.objectiveValue(), sum / count, 1e-5);
            assertTrue(r.objectiveValue() > Math.log(CONFIG.vocabSize()) - 0.5, "fresh model ~ uniform");
        }
    }

    @Test
    void lossMatchesDirectCrossEntropyFromLogits() {
        Example e = Examples.lm("x", 3, 8, 1, 60, 22, 5);
        float[][] logits = model.logits(e.inputIds());
        double expected = 0;
        for (int t = 0; t + 1 < e.length(); t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits[t]) max = Math.max(max, v);
            double z = 0;
            for (float v : logits[t]) z += Math.exp(v - max);
            expected += Math.log(z) + max - logits[t][e.labels()[t + 1]];
        }
        assertEquals(expected, sampleSum(e), 1e-4);
    }

    @Test
    void forwardLeavesNoArraysInTheModelManager() {
        int before = model.manager().getManagedArrays().size();
        sampleSum(Examples.lm("x", 3, 8, 1, 60, 22, 5));
        assertEquals(before, model.manager().getManagedArrays().size());
    }

    @Test
    void rejectsTooLongAndOutOfVocabularyInput() {
        Example tooLong = Examples.lm("long", new int[40]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenBatch.of(List.of(tooLong), CONFIG));
        assertTrue(e.getMessage().contains("long") && e.getMessage().contains("n_positions"));
        Example oov = Examples.lm("oov", 1, 500);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TokenBatch.of(List.of(oov), CONFIG))
                .getMessage().contains("500"));
        assertNotEquals(0, CONFIG.parameterCount());
    }
}
