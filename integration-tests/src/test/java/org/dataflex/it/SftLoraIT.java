package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dataflex.executors.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second example config: LoRA SFT (qwen chat template, loss on responses only) of a model exported by a
 * pretraining run. The adapter trains, the base stays frozen, and the export carries merged weights plus
 * PEFT-style adapter files.
 */
class SftLoraIT {
    @TempDir Path tmp;

    @Test
    void loraSftOfAnExportedModel() throws Exception {
        Path pt = tmp.resolve("pt");
        Cli.ok(Cli.train("conf/examples/static/pt.yaml", "output_dir=" + pt, Cli.tokenizer(),
                "model_name_or_path=preset:gpt-nano", "train_step=6", "per_device_train_batch_size=4",
                "eval_strategy=no", "logging_steps=3"));

        Path sft = tmp.resolve("sft");
        Cli.ok(Cli.train("conf/examples/static/sft_lora.yaml", "output_dir=" + sft,
                "model_name_or_path=" + pt.resolve("model"), "train_step=16", "logging_steps=4", "eval_steps=8",
                "per_device_train_batch_size=4"));

        List<Map<String, Object>> train = RunFiles.trainRecords(sft);
        assertEquals(4, train.size());
        assertTrue(RunFiles.num(train.get(3), "loss") < RunFiles.num(train.get(0), "loss"),
                "SFT loss must fall: " + train);
        assertFalse(RunFiles.evalRecords(sft).isEmpty());

        Path adapter = sft.resolve("model/adapter_model.safetensors");
        assertTrue(Files.isRegularFile(adapter), "adapter export missing");
        assertTrue(Files.isRegularFile(sft.resolve("model/adapter_config.json")));
        Map<String, SafeTensors.Tensor> a = SafeTensors.read(adapter).tensors();
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("base_model.model.transformer.h.0.attn.c_attn.lora_A")),
                a.keySet().toString());

        // merged export differs from the base model only through the adapter: the embeddings are untouched
        Map<String, SafeTensors.Tensor> base = SafeTensors.read(pt.resolve("model/model.safetensors")).tensors();
        Map<String, SafeTensors.Tensor> merged = SafeTensors.read(sft.resolve("model/model.safetensors")).tensors();
        assertArrayEquals(base.get("transformer.wte.weight").data(), merged.get("transformer.wte.weight").data());
        assertFalse(java.util.Arrays.equals(base.get("transformer.h.0.attn.c_attn.weight").data(),
                merged.get("transformer.h.0.attn.c_attn.weight").data()), "LoRA must have changed the merged c_attn");
    }
}
