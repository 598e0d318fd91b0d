package org.dataflex.executors.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.dataflex.datasets.Example;
import org.dataflex.executors.lora.LoraAdapter;
import org.dataflex.executors.lora.LoraSpec;
import org.dataflex.executors.testutil.Examples;
import org.junit.jupiter.api.Test;

import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Autograd gradients (float64) against central finite differences, with a forced GC between forward and backward. */
class GradientCheckTest {
    private static final ModelConfig TINY = new ModelConfig(23, 8, 8, 2, 2);
    private static final double H = 1e-5;

    private final List<Example> batch = List.of(
            Examples.lm("a", 1, 5, 7, 3, 9, 22, 4),
            new Example("b", "d", new int[] {2, 8, 6, 11}, new int[] {-100, -100, 6, 11}));

    @Test
    void fullModelGradientsMatchFiniteDifferences() {
        try (GptModel model = GptModel.initialize(TINY, 3, DataType.FLOAT64)) {
            model.setBaseTrainable(true);
            checkGradients(model, model.parameters(), 3);
        }
    }

    @Test
    void loraGradientsMatchFiniteDifferences() {
        try (GptModel model = GptModel.initialize(TINY, 5, DataType.FLOAT64)) {
            LoraAdapter lora = LoraAdapter.initialize(TINY, new LoraSpec(2, 4, 0.0, List.of("all")), 5,
                    model.manager(), DataType.FLOAT64);
            model.attachLora(lora);
            // B starts at zero; give it values so that A receives gradient too
            SplittableRandom rng = new SplittableRandom(1);
            for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                if (!e.getKey().endsWith("lora_B.weight")) continue;
                double[] v = new double[(int) e.getValue().getShape().size()];
                for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian() * 0.1;
                e.getValue().set(DoubleBuffer.wrap(v));
            }
            checkGradients(model, lora.parameters(), 4);
        }
    }

    private void checkGradients(GptModel model, Map<String, NDArray> params, int entriesPerTensor) {
        TokenBatch tokens = TokenBatch.of(batch, TINY);
        Map<String, double[]> analytic = new LinkedHashMap<>();
        try (NDManager step = model.manager().newSubManager()) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                CausalLmLoss.Result r = CausalLmLoss.compute(model, tokens, step, true);
                // scalars wrongly owned by Java would be freed here and corrupt the backward pass
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    byte[][] garbage = new byte[64][];
                    for (int j = 0; j < garbage.length; j++) garbage[j] = new byte[1 << 16];
                }
                collector.backward(r.objective());
            }
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray g = e.getValue().getGradient();
                g.attach(step);
                analytic.put(e.getKey(), g.toDoubleArray());
            }
        }
        for (NDArray p : params.values()) JniUtils.zeroGrad((PtNDArray) p);

        SplittableRandom rng = new SplittableRandom(99);
        int checked = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            double[] values = p.toDoubleArray();
            for (int k = 0; k < entriesPerTensor; k++) {
                int i = rng.nextInt(values.length);
                double original = values[i];
                values[i] = original + H;
                p.set(DoubleBuffer.wrap(values));
                double plus = loss(model, tokens);
                values[i] = original - H;
                p.set(DoubleBuffer.wrap(values));
                double minus = loss(model, tokens);
                values[i] = original;
                p.set(DoubleBuffer.wrap(values));
                double numeric = (plus - minus) / (2 * H);
                double a = analytic.get(e.getKey())[i];
                assertTrue(Double.isFinite(a), e.getKey() + "[" + i + "] gradient is " + a);
                assertEquals(numeric, a, 1e-6 + 1e-4 * Math.abs(numeric), e.getKey() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked >= 3 * params.size() - 1);
    }

    private static double loss(GptModel model, TokenBatch tokens) {
        boolean previous = GradMode.disable();
        try (NDManager step = model.manager().newSubManager()) {
            return CausalLmLoss.compute(model, tokens, step, false).objectiveValue();
        } finally {
            GradMode.restore(previous);
        }
    }
}
