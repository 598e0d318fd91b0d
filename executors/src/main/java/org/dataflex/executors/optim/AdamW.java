package org.dataflex.executors.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with torch semantics: decoupled weight decay {@code p -= lr * wd * p}, bias-corrected moments and epsilon
 * added outside the square root ({@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}). As HF
 * Trainer, weight decay applies to every parameter except biases and LayerNorm parameters (embeddings and LoRA
 * matrices decay). Updates run outside autograd, in place.
 */
public final class AdamW {
    private final OptimizerSpec spec;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();

    /** Zero moments for each parameter, owned by {@code stateManager}. */
    public AdamW(OptimizerSpec spec, Map<String, NDArray> parameters, NDManager stateManager) {
        this.spec = spec;
        this.parameters = parameters;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            expAvg.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
            expAvgSq.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
        }
    }

    /**
     * Replaces the moments with saved values (names as the parameters); new arrays go to {@code stateManager}.
     */
    public void loadMoments(Map<String, org.dataflex.executors.io.SafeTensors.Tensor> avg,
                            Map<String, org.dataflex.executors.io.SafeTensors.Tensor> avgSq,
                            NDManager stateManager, String source) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            replace(expAvg, e, avg.get(e.getKey()), stateManager, source, "exp_avg");
            replace(expAvgSq, e, avgSq.get(e.getKey()), stateManager, source, "exp_avg_sq");
        }
    }

    private static void replace(Map<String, NDArray> moments, Map.Entry<String, NDArray> param,
                                org.dataflex.executors.io.SafeTensors.Tensor saved, NDManager stateManager,
                                String source, String kind) {
        String name = param.getKey();
        if (saved == null) throw new IllegalArgumentException(source + ": missing " + kind + " for parameter " + name);
        if (!java.util.Arrays.equals(saved.shape(), param.getValue().getShape().getShape())) {
            throw new IllegalArgumentException(source + ": " + kind + " of " + name + " has shape "
                    + java.util.Arrays.toString(saved.shape()) + ", expected " + param.getValue().getShape());
        }
        NDArray created = stateManager.create(saved.data(), param.getValue().getShape());
        if (created.getDataType() != param.getValue().getDataType()) {
            NDArray converted = created.toType(param.getValue().getDataType(), true);
            created.close();
            created = converted;
        }
        moments.put(name, created).close();
    }

    public static boolean decays(String name) {
        return !(name.endsWith(".bias") || org.dataflex.executors.model.GptParameters.isLayerNorm(name));
    }

    public Map<String, NDArray> expAvg() { return Collections.unmodifiableMap(expAvg); }
    public Map<String, NDArray> expAvgSq() { return Collections.unmodifiableMap(expAvgSq); }

    /**
     * One update with gradients {@code grads} (same names), learning rate {@code lr} and 1-based step number
     * {@code t} for bias correction. Temporaries go to {@code scratch}.
     */
    public void step(Map<String, NDArray> grads, double lr, long t, NDManager scratch) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double stepSize = lr / (1 - Math.pow(b1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            NDArray p = e.getValue();
            NDArray g = grads.get(name);
            if (g == null) throw new IllegalStateException("no gradient for parameter " + name);
            if (spec.weightDecay() > 0 && decays(name)) p.muli(1 - lr * spec.weightDecay());
            NDArray m = expAvg.get(name);
            NDArray v = expAvgSq.get(name);
            m.muli(b1).addi(scratch(g.mul(1 - b1), scratch));
            v.muli(b2).addi(scratch(g.mul(g).muli(1 - b2), scratch));
            NDArray denom = scratch(v.sqrt(), scratch).divi(bc2Sqrt).addi(spec.epsilon());
            p.subi(scratch(m.mul(stepSize), scratch).divi(denom));
        }
    }

    private static NDArray scratch(NDArray a, NDManager scratch) {
        a.attach(scratch);
        return a;
    }
}
