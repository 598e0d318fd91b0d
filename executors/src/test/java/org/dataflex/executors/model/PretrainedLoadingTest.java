package org.dataflex.executors.model;

import org.dataflex.executors.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainedLoadingTest {
    static final ModelConfig CONFIG = new ModelConfig(50, 16, 16, 2, 2);

    @Test
    void loadsHfGpt2LayoutWithPrefixBuffersAndTiedHead(@TempDir Path dir) throws Exception {
        int[] tokens = {4, 8, 15, 16, 23, 42};
        try (GptModel original = GptModel.initialize(CONFIG, 21)) {
            // what transformers' GPT2LMHeadModel.save_pretrained writes: transformer.* names, causal-mask
            // buffers and the tied lm_head.weight
            Map<String, SafeTensors.Tensor> hf = new LinkedHashMap<>();
            original.baseTensors().forEach((k, v) -> hf.put("transformer." + k, v));
            for (int i = 0; i < CONFIG.nLayer(); i++) {
                hf.put("transformer.h." + i + ".attn.bias", new SafeTensors.Tensor(new long[] {1, 1, 16, 16}, new float[256]));
                hf.put("transformer.h." + i + ".attn.masked_bias", new SafeTensors.Tensor(new long[] {}, new float[] {-1e4f}));
            }
            hf.put("lm_head.weight", original.baseTensors().get("wte.weight"));
            SafeTensors.write(dir.resolve("model.safetensors"), hf, Map.of("format", "pt"));
            CONFIG.writeHfConfig(dir);
            try (GptModel loaded = GptModel.loadPretrained(dir)) {
                assertEquals(CONFIG, loaded.config());
                float[][] a = original.logits(tokens);
                float[][] b = loaded.logits(tokens);
                for (int t = 0; t < tokens.length; t++) assertArrayEquals(a[t], b[t], 0f);
            }
        }
    }

    @Test
    void exportWritesHfNamesAndConfig(@TempDir Path dir) throws Exception {
        try (GptModel model = GptModel.initialize(CONFIG, 2)) {
            model.saveHf(dir);
            Map<String, SafeTensors.Tensor> t = SafeTensors.read(dir.resolve("model.safetensors")).tensors();
            assertTrue(t.containsKey("transformer.wte.weight"));
            assertArrayEquals(new long[] {16, 48}, t.get("transformer.h.1.attn.c_attn.weight").shape());
            String json = Files.readString(dir.resolve("config.json"));
            assertTrue(json.contains("\"model_type\": \"gpt2\"") && json.contains("GPT2LMHeadModel")
                    && json.contains("\"n_embd\": 16"), json);
            // names without the prefix load too
            Map<String, SafeTensors.Tensor> plain = new LinkedHashMap<>();
            t.forEach((k, v) -> plain.put(k.substring("transformer.".length()), v));
            GptModel.fromTensors(CONFIG, plain, ai.djl.ndarray.types.DataType.FLOAT32, "plain").close();
        }
    }

    @Test
    void reportsMissingUnexpectedAndMisshapenTensors() {
        try (GptModel model = GptModel.initialize(CONFIG, 2)) {
            Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(model.baseTensors());
            t.remove("h.1.mlp.c_fc.bias");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> GptModel.fromTensors(CONFIG, t,
                    ai.djl.ndarray.types.DataType.FLOAT32, "ckpt")).getMessage().contains("h.1.mlp.c_fc.bias"));
            Map<String, SafeTensors.Tensor> extra = new LinkedHashMap<>(model.baseTensors());
            extra.put("h.0.attn.rotary", new SafeTensors.Tensor(new long[] {1}, new float[1]));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> GptModel.fromTensors(CONFIG, extra,
                    ai.djl.ndarray.types.DataType.FLOAT32, "ckpt")).getMessage().contains("h.0.attn.rotary"));
            Map<String, SafeTensors.Tensor> wrong = new LinkedHashMap<>(model.baseTensors());
            wrong.put("wpe.weight", new SafeTensors.Tensor(new long[] {8, 16}, new float[128]));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> GptModel.fromTensors(CONFIG, wrong,
                    ai.djl.ndarray.types.DataType.FLOAT32, "ckpt")).getMessage().contains("wpe.weight"));
        }
    }
}
