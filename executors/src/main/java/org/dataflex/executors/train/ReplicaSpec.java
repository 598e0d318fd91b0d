package org.dataflex.executors.train;

import org.dataflex.executors.lora.LoraSpec;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;

import java.io.Serializable;

/**
 * What a training replica is: the model shape (may be null when {@code initFrom} names a model directory, whose
 * config.json then decides), where the weights start ({@code initFrom}: null = fresh GPT-2 init from {@code seed},
 * else a local directory with config.json + model.safetensors), the optimizer, LoRA (null = full fine-tuning) and
 * the seed of everything random.
 */
public record ReplicaSpec(ModelConfig model, String initFrom, OptimizerSpec optimizer, LoraSpec lora, long seed)
        implements Serializable {
    public ReplicaSpec {
        if (model == null && initFrom == null) {
            throw new IllegalArgumentException("a replica needs a model config or an init_from model directory");
        }
        if (optimizer == null) throw new IllegalArgumentException("a replica needs an optimizer spec");
    }
}
