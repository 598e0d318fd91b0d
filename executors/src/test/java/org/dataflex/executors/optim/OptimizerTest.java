package org.dataflex.executors.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    @Test
    void adamWMatchesHandComputedTwoSteps() {
        OptimizerSpec spec = new OptimizerSpec(0.1, 0.01, 0.9, 0.999, 1e-8, 0, "constant", 0, 10);
        float[] w0 = {0.5f, -1.0f, 2.0f};
        float[] b0 = {0.1f, 0.2f};
        float[][] gw = {{0.3f, -0.2f, 1.0f}, {-0.1f, 0.4f, 0.5f}};
        float[][] gb = {{0.05f, -0.5f}, {0.2f, 0.1f}};
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("h.0.mlp.c_fc.weight", m.create(w0.clone(), new Shape(3)));
            params.put("h.0.mlp.c_fc.bias", m.create(b0.clone(), new Shape(2)));
            AdamW adam = new AdamW(spec, params, m);
            for (int t = 1; t <= 2; t++) {
                Map<String, NDArray> grads = Map.of(
                        "h.0.mlp.c_fc.weight", m.create(gw[t - 1], new Shape(3)),
                        "h.0.mlp.c_fc.bias", m.create(gb[t - 1], new Shape(2)));
                try (NDManager scratch = m.newSubManager()) {
                    adam.step(grads, 0.1, t, scratch);
                }
            }
            assertArrayEquals(reference(w0, gw, 0.1, 0.01), params.get("h.0.mlp.c_fc.weight").toFloatArray(), 1e-6f);
            // biases get no weight decay
            assertArrayEquals(reference(b0, gb, 0.1, 0.0), params.get("h.0.mlp.c_fc.bias").toFloatArray(), 1e-6f);
        }
    }

    /** torch.optim.AdamW written out in double precision. */
    private static float[] reference(float[] p0, float[][] grads, double lr, double wd) {
        double[] p = new double[p0.length];
        double[] m = new double[p0.length];
        double[] v = new double[p0.length];
        for (int i = 0; i < p.length; i++) p[i] = p0[i];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = grads[t - 1][i];
                p[i] *= 1 - lr * wd;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                p[i] -= lr * mHat / denom;
            }
        }
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) out[i] = (float) p[i];
        return out;
    }

    @Test
    void decayExcludesBiasesAndLayerNorms() {
        assertTrue(AdamW.decays("wte.weight"));
        assertTrue(AdamW.decays("h.3.attn.c_attn.weight"));
        assertTrue(AdamW.decays("h.0.attn.c_attn.lora_A.weight"));
        assertFalse(AdamW.decays("h.3.attn.c_attn.bias"));
        assertFalse(AdamW.decays("h.1.ln_2.weight"));
        assertFalse(AdamW.decays("ln_f.weight"));
    }

    @Test
    void clippingScalesToMaxNormAndReturnsPreClipNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3f, 0f}, new Shape(2));
            NDArray b = m.create(new float[] {4f}, new Shape(1));
            double norm = GradientClipping.clip(List.of(a, b), 1.0);
            assertEquals(5.0, norm, 1e-6);
            assertEquals(1.0, GradientClipping.globalNorm(List.of(a, b)), 1e-5);
            assertArrayEquals(new float[] {0.6f, 0f}, a.toFloatArray(), 1e-6f);
            // below the limit, and with clipping off, gradients stay as they are
            NDArray c = m.create(new float[] {0.3f, 0.4f}, new Shape(2));
            assertEquals(0.5, GradientClipping.clip(List.of(c), 1.0), 1e-6);
            assertEquals(0.5, GradientClipping.clip(List.of(c), 0.0), 1e-6);
            assertArrayEquals(new float[] {0.3f, 0.4f}, c.toFloatArray(), 0f);
        }
    }

    @Test
    void schedulesFollowHfFormulas() {
        LrSchedule linear = new LrSchedule("linear", 10, 110);
        assertEquals(0.0, linear.multiplier(0));
        assertEquals(0.5, linear.multiplier(5), 1e-12);
        assertEquals(1.0, linear.multiplier(10), 1e-12);
        assertEquals(0.75, linear.multiplier(35), 1e-12);
        assertEquals(0.0, linear.multiplier(110), 1e-12);
        assertEquals(0.0, linear.multiplier(200), 1e-12);

        LrSchedule cosine = new LrSchedule("cosine", 4, 104);
        assertEquals(0.25, cosine.multiplier(1), 1e-12);
        assertEquals(1.0, cosine.multiplier(4), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.25)), cosine.multiplier(29), 1e-12);
        assertEquals(0.5, cosine.multiplier(54), 1e-12);
        assertEquals(0.0, cosine.multiplier(104), 1e-12);

        assertEquals(1.0, new LrSchedule("constant", 5, 10).multiplier(0));
        LrSchedule warm = new LrSchedule("constant_with_warmup", 8, 100);
        assertEquals(0.375, warm.multiplier(3), 1e-12);
        assertEquals(1.0, warm.multiplier(50));
        // no warmup: linear decays from the first step
        assertEquals(1.0, new LrSchedule("linear", 0, 10).multiplier(0), 1e-12);
        assertEquals(0.9, new LrSchedule("linear", 0, 10).multiplier(1), 1e-12);
        assertEquals(3, OptimizerSpec.warmupStepsFromRatio(0.1, 25));
    }

    @Test
    void unknownScheduleListsTheSupportedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerSpec.defaults(1e-3, "polynomial", 0, 10));
        assertTrue(e.getMessage().contains("polynomial") && e.getMessage().contains("cosine"));
    }
}
