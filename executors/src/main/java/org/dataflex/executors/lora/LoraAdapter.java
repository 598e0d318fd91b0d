package org.dataflex.executors.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.dataflex.executors.io.SafeTensors.Tensor;
import org.dataflex.executors.model.GptParameters;
import org.dataflex.executors.model.ModelConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Low-rank adapters on GPT-2 Conv1D modules: {@code y = x W + b + scaling * dropout(x) A^T B^T} with
 * A [r, in] (PEFT {@code lora_A.weight}) and B [out, r] ({@code lora_B.weight}), B starting at zero.
 * Parameter names are {@code <module>.lora_A.weight}, e.g. {@code h.0.attn.c_attn.lora_A.weight}.
 */
public final class LoraAdapter {
    public static final String PEFT_PREFIX = "base_model.model.transformer.";

    private final LoraSpec spec;
    private final List<String> modules;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final NDArray scaling;
    private final NDArray dropoutKeepScale;
    private final NDArray dropoutRate;

    private LoraAdapter(LoraSpec spec, List<String> modules, NDManager manager, DataType dtype) {
        this.spec = spec;
        this.modules = List.copyOf(modules);
        // torch-owned scalars kept alive by the adapter: Java-number scalars inside autograd corrupt gradients
        this.scaling = manager.full(new Shape(), (float) spec.scaling(), dtype);
        this.dropoutKeepScale = manager.full(new Shape(), (float) (1.0 / (1.0 - spec.dropout())), dtype);
        this.dropoutRate = manager.full(new Shape(), (float) spec.dropout(), dtype);
    }

    /** New adapters: A uniform in +-1/sqrt(in) (kaiming-uniform with a = sqrt(5), as PEFT), B zero; seeded. */
    public static LoraAdapter initialize(ModelConfig config, LoraSpec spec, long seed, NDManager manager, DataType dtype) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (String module : LoraTargets.resolve(config, spec.targets())) {
            int[] io = LoraTargets.inOut(config, module);
            float[] a = new float[spec.rank() * io[0]];
            double bound = 1.0 / Math.sqrt(io[0]);
            SplittableRandom rng = new SplittableRandom(GptParameters.streamSeed(seed, "lora:" + module));
            for (int i = 0; i < a.length; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            values.put(module + ".lora_A.weight", new Tensor(new long[] {spec.rank(), io[0]}, a));
            values.put(module + ".lora_B.weight", new Tensor(new long[] {io[1], spec.rank()}, new float[io[1] * spec.rank()]));
        }
        return fromTensors(config, spec, values, manager, dtype, "initial LoRA weights");
    }

    /** Adapters from tensors named {@code <module>.lora_A.weight} / {@code lora_B.weight} (PEFT prefix optional). */
    public static LoraAdapter fromTensors(ModelConfig config, LoraSpec spec, Map<String, Tensor> tensors,
                                          NDManager manager, DataType dtype, String source) {
        List<String> modules = LoraTargets.resolve(config, spec.targets());
        LoraAdapter adapter = new LoraAdapter(spec, modules, manager, dtype);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        tensors.forEach((k, v) -> byName.put(k.startsWith(PEFT_PREFIX) ? k.substring(PEFT_PREFIX.length()) : k, v));
        for (String module : modules) {
            int[] io = LoraTargets.inOut(config, module);
            adapter.load(byName, module + ".lora_A.weight", new long[] {spec.rank(), io[0]}, manager, dtype, source);
            adapter.load(byName, module + ".lora_B.weight", new long[] {io[1], spec.rank()}, manager, dtype, source);
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException(source + ": unexpected LoRA tensors " + byName.keySet()
                    + " (targets " + spec.targets() + " resolve to " + modules + ")");
        }
        return adapter;
    }

    private void load(Map<String, Tensor> byName, String name, long[] shape, NDManager manager, DataType dtype,
                      String source) {
        Tensor t = byName.remove(name);
        if (t == null) throw new IllegalArgumentException(source + ": missing LoRA tensor '" + name + "'");
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(source + ": LoRA tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
        NDArray array = manager.create(t.data(), new Shape(shape));
        if (dtype != DataType.FLOAT32) {
            NDArray converted = array.toType(dtype, true);
            array.close();
            array = converted;
        }
        array.setRequiresGradient(true);
        parameters.put(name, array);
    }

    public LoraSpec spec() {
        return spec;
    }

    public List<String> modules() {
        return modules;
    }

    /** Trainable arrays by name, in model order. */
    public Map<String, NDArray> parameters() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    public boolean adapts(String module) {
        return parameters.containsKey(module + ".lora_A.weight");
    }

    /**
     * Adds the low-rank update of {@code module} to its base output; in training, inverted dropout (torch RNG)
     * is applied to the adapter input.
     */
    public NDArray apply(String module, NDArray x, NDArray baseOutput, boolean training) {
        NDArray in = x;
        if (training && spec.dropout() > 0) {
            NDManager m = x.getManager();
            NDArray keep = m.randomUniform(0f, 1f, x.getShape(), x.getDataType()).gte(dropoutRate);
            NDArray mask = keep.toType(x.getDataType(), false).mul(dropoutKeepScale);
            in = x.mul(mask);
        }
        NDArray a = parameters.get(module + ".lora_A.weight");
        NDArray b = parameters.get(module + ".lora_B.weight");
        NDArray down = in.getNDArrayInternal().linear(in, a, null).singletonOrThrow();
        NDArray up = down.getNDArrayInternal().linear(down, b, null).singletonOrThrow();
        return baseOutput.add(up.mul(scaling));
    }

    /** Adds scaling * (B A)^T to each adapted Conv1D weight [in, out] of {@code weights} (HF names, in place). */
    public void mergeInto(Map<String, Tensor> weights) {
        for (String module : modules) {
            Tensor w = weights.get(module + ".weight");
            float[] a = toTensor(parameters.get(module + ".lora_A.weight")).data();
            float[] b = toTensor(parameters.get(module + ".lora_B.weight")).data();
            int in = (int) w.shape()[0];
            int out = (int) w.shape()[1];
            int r = spec.rank();
            float[] merged = w.data().clone();
            double s = spec.scaling();
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    double acc = 0;
                    for (int k = 0; k < r; k++) acc += (double) b[o * r + k] * a[k * in + i];
                    merged[i * out + o] += (float) (s * acc);
                }
            }
            weights.put(module + ".weight", new Tensor(w.shape(), merged));
        }
    }

    /** The adapter tensors with PEFT names ({@code base_model.model.transformer.h.0.attn.c_attn.lora_A.weight}). */
    public Map<String, Tensor> peftTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach((name, array) -> out.put(PEFT_PREFIX + name, toTensor(array)));
        return out;
    }

    /** Copies an array to a float32 tensor (converting a float64 array without leaving a temporary behind). */
    public static Tensor toTensor(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) return new Tensor(array.getShape().getShape(), array.toFloatArray());
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return new Tensor(f.getShape().getShape(), f.toFloatArray());
        }
    }

    /** PEFT {@code adapter_config.json}. */
    public String peftConfigJson(String baseModelPath) {
        JsonObject o = new JsonObject();
        o.addProperty("peft_type", "LORA");
        o.addProperty("task_type", "CAUSAL_LM");
        o.addProperty("r", spec.rank());
        o.addProperty("lora_alpha", spec.alpha());
        o.addProperty("lora_dropout", spec.dropout());
        JsonArray targets = new JsonArray();
        LoraTargets.peftTargetNames(modules).forEach(targets::add);
        o.add("target_modules", targets);
        o.addProperty("fan_in_fan_out", true);
        o.addProperty("bias", "none");
        o.addProperty("inference_mode", true);
        o.addProperty("base_model_name_or_path", baseModelPath == null ? "" : baseModelPath);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
