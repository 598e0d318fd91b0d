package org.dataflex.executors.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import org.dataflex.executors.io.SafeTensors;
import org.dataflex.executors.io.SafeTensors.Tensor;
import org.dataflex.executors.lora.LoraAdapter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2 on DJL NDArrays: token + position embeddings, pre-LayerNorm blocks of causal self-attention and a gelu_new
 * MLP with Conv1D weights (x W + b), a final LayerNorm and an LM head tied to wte. Dropout is disabled (GPT-2's
 * resid/embd/attn dropout are left out; configs export them as 0). Parameter names and shapes are those of
 * Hugging Face's GPT2Model.
 *
 * <p>All arrays produced by a forward pass belong to the manager of the input ids, so a caller that creates the ids
 * in a per-step sub-manager frees every temporary by closing it.
 */
public final class GptModel implements AutoCloseable {
    private static final List<String> IGNORED_BUFFER_SUFFIXES = List.of(".attn.bias", ".attn.masked_bias");

    private final ModelConfig config;
    private final DataType dtype;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final NDArray causalMask;
    // torch-owned scalar constants: Java-number scalar ops inside autograd corrupt gradients once GC runs
    private final NDArray half;
    private final NDArray one;
    private final NDArray geluCubic;
    private final NDArray geluScale;
    private final NDArray attentionScale;
    private LoraAdapter lora;

    private GptModel(ModelConfig config, DataType dtype) {
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT64) {
            throw new IllegalArgumentException("model dtype must be float32 or float64, got " + dtype);
        }
        this.config = config;
        this.dtype = dtype;
        this.manager = NDManager.newBaseManager();
        this.half = scalar(0.5);
        this.one = scalar(1.0);
        this.geluCubic = scalar(0.044715);
        this.geluScale = scalar(Math.sqrt(2.0 / Math.PI));
        this.attentionScale = scalar(1.0 / Math.sqrt(config.headDim()));
        int p = config.nPositions();
        float[] mask = new float[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = i + 1; j < p; j++) mask[i * p + j] = -1e9f; // exp underflows to exactly 0
        }
        this.causalMask = toDtype(manager.create(mask, new Shape(p, p)));
    }

    private NDArray scalar(double v) {
        return manager.full(new Shape(), (float) v, dtype);
    }

    private NDArray toDtype(NDArray a) {
        if (a.getDataType() == dtype) return a;
        NDArray c = a.toType(dtype, true);
        a.close();
        return c;
    }

    /** A freshly initialised GPT-2 (see {@link GptParameters#initialValues}). */
    public static GptModel initialize(ModelConfig config, long seed) {
        return initialize(config, seed, DataType.FLOAT32);
    }

    public static GptModel initialize(ModelConfig config, long seed, DataType dtype) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        GptParameters.shapes(config).forEach((name, shape) ->
                tensors.put(name, new Tensor(shape, GptParameters.initialValues(config, name, shape, seed))));
        return fromTensors(config, tensors, dtype, "initialisation");
    }

    /**
     * A model from GPT-2 tensors. Accepts names with or without the {@code transformer.} prefix and ignores the
     * {@code attn.bias} / {@code attn.masked_bias} buffers and a tied {@code lm_head.weight}.
     */
    public static GptModel fromTensors(ModelConfig config, Map<String, Tensor> tensors, DataType dtype, String source) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey().startsWith("transformer.") ? e.getKey().substring("transformer.".length()) : e.getKey();
            if (name.equals("lm_head.weight") || IGNORED_BUFFER_SUFFIXES.stream().anyMatch(name::endsWith)) continue;
            byName.put(name, e.getValue());
        }
        GptModel model = new GptModel(config, dtype);
        try {
            for (Map.Entry<String, long[]> e : GptParameters.shapes(config).entrySet()) {
                Tensor t = byName.remove(e.getKey());
                if (t == null) throw new IllegalArgumentException(source + ": missing tensor '" + e.getKey() + "'");
                if (!Arrays.equals(t.shape(), e.getValue())) {
                    throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' has shape "
                            + Arrays.toString(t.shape()) + " but the config needs " + Arrays.toString(e.getValue()));
                }
                model.parameters.put(e.getKey(), model.toDtype(model.manager.create(t.data(), new Shape(t.shape()))));
            }
            if (!byName.isEmpty()) {
                throw new IllegalArgumentException(source + ": unexpected tensors for a GPT-2 model: " + byName.keySet());
            }
            model.setBaseTrainable(true); // full fine-tuning unless LoRA is attached

        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Loads {@code config.json} + {@code model.safetensors} from a Hugging Face GPT-2 directory. */
    public static GptModel loadPretrained(Path dir) {
        return loadPretrained(dir, null);
    }

    /** As {@link #loadPretrained(Path)}, checking the directory's config against {@code expected} when given. */
    public static GptModel loadPretrained(Path dir, ModelConfig expected) {
        Path configFile = dir.resolve("config.json");
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("model directory " + dir
                    + " must contain config.json and model.safetensors");
        }
        ModelConfig config = ModelConfig.readHfConfig(configFile);
        if (expected != null && !sameShape(expected, config)) {
            throw new IllegalArgumentException(configFile + " describes " + config
                    + " but the run's model config is " + expected);
        }
        return fromTensors(config, SafeTensors.read(weights).tensors(), DataType.FLOAT32, weights.toString());
    }

    /** True when two configs describe the same tensor shapes (epsilon and init range may differ). */
    public static boolean sameShape(ModelConfig a, ModelConfig b) {
        return a.vocabSize() == b.vocabSize() && a.nPositions() == b.nPositions() && a.nEmbd() == b.nEmbd()
                && a.nLayer() == b.nLayer() && a.nHead() == b.nHead();
    }

    public ModelConfig config() { return config; }
    public DataType dtype() { return dtype; }
    /** The long-lived manager owning parameters and constants. */
    public NDManager manager() { return manager; }

    /** GPT-2 parameters by HF name (without prefix), in model order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public LoraAdapter lora() { return lora; }

    /** Adds adapters: the base weights are then frozen and only the adapters train. */
    public void attachLora(LoraAdapter adapter) {
        this.lora = adapter;
        setBaseTrainable(false);
    }

    public void setBaseTrainable(boolean trainable) {
        for (NDArray p : parameters.values()) p.setRequiresGradient(trainable);
    }

    /** The arrays an optimizer updates: the adapters with LoRA, every GPT-2 parameter otherwise. */
    public Map<String, NDArray> trainableParameters() {
        return lora != null ? lora.parameters() : parameters();
    }

    /**
     * Final hidden states [B, T, d] (after ln_f) for token ids [B, T] (int64). With {@code training}, LoRA dropout
     * is active.
     */
    public NDArray hiddenStates(NDArray inputIds, boolean training) {
        NDManager m = inputIds.getManager();
        long b = inputIds.getShape().get(0);
        long t = inputIds.getShape().get(1);
        if (t > config.nPositions()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds n_positions " + config.nPositions());
        }
        long[] pos = new long[(int) t];
        for (int i = 0; i < pos.length; i++) pos[i] = i;
        NDArray positions = m.create(pos, new Shape(t));
        NDArray x = embed(inputIds, param("wte.weight")).add(embed(positions, param("wpe.weight")));
        NDArray mask = causalMask.get(new NDIndex("0:{}, 0:{}", t, t));
        mask.attach(m); // a view of the cached mask; freed with the step
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            NDArray a = layerNorm(x, p + "ln_1");
            x = x.add(attention(a, p, b, t, mask, training));
            NDArray h = layerNorm(x, p + "ln_2");
            NDArray inner = geluNew(conv1d(h, p + "mlp.c_fc", training));
            x = x.add(conv1d(inner, p + "mlp.c_proj", training));
        }
        return layerNorm(x, "ln_f");
    }

    private NDArray attention(NDArray x, String p, long b, long t, NDArray mask, boolean training) {
        int heads = config.nHead();
        int hd = config.headDim();
        NDList qkv = conv1d(x, p + "attn.c_attn", training).split(3, 2);
        NDArray q = qkv.get(0).reshape(b, t, heads, hd).transpose(0, 2, 1, 3).mul(attentionScale);
        NDArray k = qkv.get(1).reshape(b, t, heads, hd).transpose(0, 2, 3, 1);
        NDArray v = qkv.get(2).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray probs = q.matMul(k).add(mask).softmax(-1);
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.nEmbd());
        return conv1d(context, p + "attn.c_proj", training);
    }

    private NDArray conv1d(NDArray x, String module, boolean training) {
        NDArray out = x.matMul(param(module + ".weight")).add(param(module + ".bias"));
        if (lora != null && lora.adapts(module)) out = lora.apply(module, x, out, training);
        return out;
    }

    /** gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private NDArray geluNew(NDArray x) {
        NDArray inner = x.mul(x).mul(x).mul(geluCubic).add(x).mul(geluScale);
        return x.mul(half).mul(inner.tanh().add(one));
    }

    private NDArray layerNorm(NDArray x, String name) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(config.nEmbd()), param(name + ".weight"),
                param(name + ".bias"), (float) config.layerNormEpsilon()).singletonOrThrow();
    }

    private static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Rows of {@code table} at {@code ids} (differentiable in {@code table}). */
    public static NDArray rows(NDArray ids, NDArray table) {
        return embed(ids, table);
    }

    /** Tied LM head: logits = h wte^T, for hidden states of any leading shape. */
    public NDArray logits(NDArray hidden) {
        return hidden.getNDArrayInternal().linear(hidden, param("wte.weight"), null).singletonOrThrow();
    }

    /** Logits [T, V] of one unpadded sequence, without gradients (a convenience for checks and tools). */
    public float[][] logits(int[] tokens) {
        boolean previous = GradMode.disable();
        try (NDManager step = manager.newSubManager()) {
            long[] ids = Arrays.stream(tokens).asLongStream().toArray();
            NDArray out = logits(hiddenStates(step.create(ids, new Shape(1, ids.length)), false));
            float[] flat = out.toType(DataType.FLOAT32, false).toFloatArray();
            float[][] rows = new float[tokens.length][config.vocabSize()];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(flat, i * config.vocabSize(), rows[i], 0, config.vocabSize());
            }
            return rows;
        } finally {
            GradMode.restore(previous);
        }
    }

    NDArray param(String name) {
        NDArray p = parameters.get(name);
        if (p == null) throw new IllegalStateException("no parameter " + name);
        return p;
    }

    /** The GPT-2 weights without adapters, as float32 tensors with HF names. */
    public Map<String, Tensor> baseTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach((name, array) -> out.put(name, LoraAdapter.toTensor(array)));
        return out;
    }

    /** The GPT-2 weights with any LoRA update merged in: what an exported model holds. */
    public Map<String, Tensor> mergedTensors() {
        Map<String, Tensor> out = baseTensors();
        if (lora != null) lora.mergeInto(out);
        return out;
    }

    /** Writes a Hugging Face GPT-2 directory: {@code config.json} and {@code model.safetensors} (merged, F32). */
    public void saveHf(Path dir) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        mergedTensors().forEach((k, v) -> tensors.put("transformer." + k, v));
        SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        config.writeHfConfig(dir);
    }

    @Override
    public void close() {
        manager.close();
    }
}
