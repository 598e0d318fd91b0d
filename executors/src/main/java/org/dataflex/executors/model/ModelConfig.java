package org.dataflex.executors.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dataflex.executors.io.AtomicFiles;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shape of a GPT-2 language model, with the Hugging Face {@code config.json} field meanings
 * (n_embd, n_layer, n_head, n_positions, vocab_size, layer_norm_epsilon, initializer_range).
 * The MLP inner size is always 4 * nEmbd and the activation is gelu_new, as in GPT-2.
 */
public record ModelConfig(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead,
                          double layerNormEpsilon, double initializerRange) implements Serializable {

    public static final double DEFAULT_LAYER_NORM_EPSILON = 1e-5;
    public static final double DEFAULT_INITIALIZER_RANGE = 0.02;

    /** Preset shapes: {nEmbd, nLayer, nHead, nPositions}; parameter counts at 8,192 tokens in README.md. */
    private static final Map<String, int[]> PRESETS = new LinkedHashMap<>();
    static {
        PRESETS.put("gpt-nano", new int[] {96, 3, 3, 256});
        PRESETS.put("gpt-micro", new int[] {192, 3, 6, 512});
        PRESETS.put("gpt-mini", new int[] {320, 6, 5, 512});
        PRESETS.put("gpt-small", new int[] {512, 6, 8, 1024});
        PRESETS.put("gpt-medium", new int[] {768, 6, 12, 1024});
    }

    public ModelConfig {
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(nPositions > 0, "n_positions must be positive, got " + nPositions);
        require(nEmbd > 0, "n_embd must be positive, got " + nEmbd);
        require(nLayer > 0, "n_layer must be positive, got " + nLayer);
        require(nHead > 0 && nEmbd % nHead == 0, "n_head (" + nHead + ") must divide n_embd (" + nEmbd + ")");
        require(layerNormEpsilon > 0, "layer_norm_epsilon must be positive, got " + layerNormEpsilon);
        require(initializerRange > 0, "initializer_range must be positive, got " + initializerRange);
    }

    public ModelConfig(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead) {
        this(vocabSize, nPositions, nEmbd, nLayer, nHead, DEFAULT_LAYER_NORM_EPSILON, DEFAULT_INITIALIZER_RANGE);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("invalid model config: " + message);
    }

    public static java.util.Set<String> presetNames() {
        return java.util.Collections.unmodifiableSet(PRESETS.keySet());
    }

    public static ModelConfig preset(String name, int vocabSize) {
        int[] p = PRESETS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown model preset '" + name + "'; known presets: "
                    + String.join(", ", PRESETS.keySet()));
        }
        return new ModelConfig(vocabSize, p[3], p[0], p[1], p[2]);
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    public int innerSize() {
        return 4 * nEmbd;
    }

    /** Number of distinct parameters (the LM head is tied to wte and not counted twice). */
    public long parameterCount() {
        long d = nEmbd;
        long perLayer = 2 * (2 * d)                // ln_1, ln_2
                + d * 3 * d + 3 * d                 // attn.c_attn
                + d * d + d                         // attn.c_proj
                + d * 4 * d + 4 * d                 // mlp.c_fc
                + 4 * d * d + d;                    // mlp.c_proj
        return (long) vocabSize * d + (long) nPositions * d + nLayer * perLayer + 2 * d;
    }

    /** The Hugging Face GPT-2 config.json text for this shape (dropout listed as 0: this model has none). */
    public String toHfJson() {
        JsonObject o = new JsonObject();
        o.addProperty("model_type", "gpt2");
        JsonArray arch = new JsonArray();
        arch.add("GPT2LMHeadModel");
        o.add("architectures", arch);
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("n_positions", nPositions);
        o.addProperty("n_ctx", nPositions);
        o.addProperty("n_embd", nEmbd);
        o.addProperty("n_layer", nLayer);
        o.addProperty("n_head", nHead);
        o.add("n_inner", com.google.gson.JsonNull.INSTANCE);
        o.addProperty("activation_function", "gelu_new");
        o.addProperty("layer_norm_epsilon", layerNormEpsilon);
        o.addProperty("initializer_range", initializerRange);
        o.addProperty("resid_pdrop", 0.0);
        o.addProperty("embd_pdrop", 0.0);
        o.addProperty("attn_pdrop", 0.0);
        o.addProperty("tie_word_embeddings", true);
        o.addProperty("torch_dtype", "float32");
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    public void writeHfConfig(Path dir) {
        AtomicFiles.writeString(dir.resolve("config.json"), toHfJson());
    }

    public static ModelConfig readHfConfig(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model config " + configJson + ": " + e.getMessage(), e);
        }
        return fromHfJson(text, configJson.toString());
    }

    public static ModelConfig fromHfJson(String json, String source) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a JSON object: " + e.getMessage(), e);
        }
        String type = optString(o, "model_type");
        if (type != null && !type.equals("gpt2")) {
            throw new IllegalArgumentException(source + ": model_type '" + type + "' is not supported (only gpt2)");
        }
        String act = optString(o, "activation_function");
        if (act != null && !act.equals("gelu_new")) {
            throw new IllegalArgumentException(source + ": activation_function '" + act
                    + "' is not supported (GPT-2 uses gelu_new)");
        }
        int nEmbd = requiredInt(o, "n_embd", source);
        JsonElement inner = o.get("n_inner");
        if (inner != null && !inner.isJsonNull() && inner.getAsInt() != 4 * nEmbd) {
            throw new IllegalArgumentException(source + ": n_inner " + inner.getAsInt() + " is not supported (must be "
                    + "null or 4 * n_embd = " + 4 * nEmbd + ")");
        }
        int nPositions = o.has("n_positions") ? o.get("n_positions").getAsInt() : requiredInt(o, "n_ctx", source);
        double eps = o.has("layer_norm_epsilon") ? o.get("layer_norm_epsilon").getAsDouble() : DEFAULT_LAYER_NORM_EPSILON;
        double init = o.has("initializer_range") ? o.get("initializer_range").getAsDouble() : DEFAULT_INITIALIZER_RANGE;
        try {
            return new ModelConfig(requiredInt(o, "vocab_size", source), nPositions, nEmbd,
                    requiredInt(o, "n_layer", source), requiredInt(o, "n_head", source), eps, init);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static String optString(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static int requiredInt(JsonObject o, String key, String source) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException(source + ": missing required key '" + key + "'");
        }
        return e.getAsInt();
    }
}
