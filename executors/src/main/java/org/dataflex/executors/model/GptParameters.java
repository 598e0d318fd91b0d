package org.dataflex.executors.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** GPT-2 parameter names and shapes (Hugging Face layout, without the {@code transformer.} prefix) and their init. */
public final class GptParameters {
    private GptParameters() {}

    /** Every parameter of the model in Hugging Face order, with its shape. */
    public static Map<String, long[]> shapes(ModelConfig c) {
        long d = c.nEmbd();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("wte.weight", new long[] {c.vocabSize(), d});
        m.put("wpe.weight", new long[] {c.nPositions(), d});
        for (int i = 0; i < c.nLayer(); i++) {
            String p = "h." + i + ".";
            m.put(p + "ln_1.weight", new long[] {d});
            m.put(p + "ln_1.bias", new long[] {d});
            m.put(p + "attn.c_attn.weight", new long[] {d, 3 * d});
            m.put(p + "attn.c_attn.bias", new long[] {3 * d});
            m.put(p + "attn.c_proj.weight", new long[] {d, d});
            m.put(p + "attn.c_proj.bias", new long[] {d});
            m.put(p + "ln_2.weight", new long[] {d});
            m.put(p + "ln_2.bias", new long[] {d});
            m.put(p + "mlp.c_fc.weight", new long[] {d, 4 * d});
            m.put(p + "mlp.c_fc.bias", new long[] {4 * d});
            m.put(p + "mlp.c_proj.weight", new long[] {4 * d, d});
            m.put(p + "mlp.c_proj.bias", new long[] {d});
        }
        m.put("ln_f.weight", new long[] {d});
        m.put("ln_f.bias", new long[] {d});
        return m;
    }

    /** True for LayerNorm parameters (ln_1, ln_2, ln_f). */
    public static boolean isLayerNorm(String name) {
        return name.startsWith("ln_f.") || name.contains(".ln_1.") || name.contains(".ln_2.");
    }

    /**
     * GPT-2 initialisation: normal(0, initializer_range) for embeddings and Conv1D weights, the residual
     * projections (attn.c_proj, mlp.c_proj) scaled by 1/sqrt(2 * n_layer), zero biases, unit LayerNorm weights.
     * Each parameter draws from its own stream derived from the seed and its name, so the values do not depend on
     * the order parameters are created in.
     */
    public static float[] initialValues(ModelConfig c, String name, long[] shape, long seed) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] v = new float[Math.toIntExact(n)];
        if (isLayerNorm(name)) {
            if (name.endsWith(".weight")) java.util.Arrays.fill(v, 1f);
            return v;
        }
        if (name.endsWith(".bias")) return v;
        double std = c.initializerRange();
        if (name.endsWith("c_proj.weight")) std /= Math.sqrt(2.0 * c.nLayer());
        SplittableRandom rng = new SplittableRandom(streamSeed(seed, name));
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
        return v;
    }

    /** A well-mixed 64-bit seed for the named stream of a run seed. */
    public static long streamSeed(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) h = (h ^ name.charAt(i)) * 0x100000001B3L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
