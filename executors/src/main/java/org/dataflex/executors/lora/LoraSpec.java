package org.dataflex.executors.lora;

import java.io.Serializable;
import java.util.List;

/**
 * LoRA settings ({@code finetuning_type: lora}): rank r, alpha (scaling = alpha / r), dropout on the adapter input
 * during training, and the target modules: {@code all} (every Conv1D: c_attn, attn.c_proj, c_fc, mlp.c_proj) or
 * module names such as {@code c_attn}, {@code c_proj} (both projections), {@code attn.c_proj}, {@code c_fc}.
 */
public record LoraSpec(int rank, double alpha, double dropout, List<String> targets) implements Serializable {
    public LoraSpec {
        if (rank <= 0) throw new IllegalArgumentException("lora_rank must be positive, got " + rank);
        if (!(alpha > 0)) throw new IllegalArgumentException("lora_alpha must be positive, got " + alpha);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("lora_target must name at least one module (or 'all')");
        }
        targets = List.copyOf(targets);
    }

    /** Parses a LLaMA-Factory style {@code lora_target} value: "all" or a comma-separated list. */
    public static List<String> parseTargets(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public double scaling() {
        return alpha / rank;
    }
}
