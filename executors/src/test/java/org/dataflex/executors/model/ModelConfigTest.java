package org.dataflex.executors.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {

    @Test
    void presetsHaveTheDocumentedSizes() {
        long[] expectedMillions = {1, 3, 10, 25, 50};
        String[] names = {"gpt-nano", "gpt-micro", "gpt-mini", "gpt-small", "gpt-medium"};
        for (int i = 0; i < names.length; i++) {
            ModelConfig c = ModelConfig.preset(names[i], 8192);
            double millions = c.parameterCount() / 1e6;
            assertTrue(Math.abs(millions - expectedMillions[i]) / expectedMillions[i] < 0.2,
                    names[i] + " has " + millions + "M parameters");
        }
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("gpt-huge", 100));
        assertTrue(e.getMessage().contains("gpt-huge") && e.getMessage().contains("gpt-nano, gpt-micro"), e.getMessage());
    }

    @Test
    void hfConfigJsonRoundTrips() {
        ModelConfig c = new ModelConfig(1000, 64, 48, 3, 6, 1e-6, 0.01);
        assertEquals(c, ModelConfig.fromHfJson(c.toHfJson(), "x"));
        String gpt2 = "{\"model_type\":\"gpt2\",\"activation_function\":\"gelu_new\",\"n_ctx\":1024,\"n_embd\":768,"
                + "\"n_head\":12,\"n_layer\":12,\"vocab_size\":50257,\"n_inner\":null,\"layer_norm_epsilon\":1e-05}";
        ModelConfig parsed = ModelConfig.fromHfJson(gpt2, "gpt2/config.json");
        assertEquals(new ModelConfig(50257, 1024, 768, 12, 12), parsed);
        assertEquals(124_439_808L, parsed.parameterCount()); // GPT-2 small, as published
    }

    @Test
    void invalidConfigsNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson("{\"n_embd\":8}", "c.json"))
                .getMessage().contains("c.json"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelConfig(10, 8, 10, 1, 3))
                .getMessage().contains("n_head"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromHfJson(
                "{\"model_type\":\"llama\",\"n_embd\":8}", "c.json")).getMessage().contains("llama"));
    }
}
