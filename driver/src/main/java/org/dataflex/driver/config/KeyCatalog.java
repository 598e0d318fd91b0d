package org.dataflex.driver.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every key a LLaMA-Factory / DataFlex training config may contain, and what this engine does with it. Defaults
 * are those of LLaMA-Factory, Hugging Face's TrainingArguments and DataFlex's dynamic arguments.
 */
final class KeyCatalog {
    static final String DEFAULT_COMPONENTS_FILE = "conf/components.yaml";

    private static final ValueType<Object> ANY = raw -> raw;

    /** {@code resume_from_checkpoint}: a path, or {@code true} for the latest checkpoint in output_dir. */
    private static final ValueType<String> CHECKPOINT = raw -> {
        if (raw instanceof Boolean flag) {
            return flag ? "true" : null;
        }
        return ValueType.STRING.parse(raw);
    };

    private static final Map<String, KeyRule> RULES = new LinkedHashMap<>();

    static {
        // model
        honoured("model_name_or_path", ValueType.STRING, null);
        honoured("train_from_scratch", ValueType.BOOLEAN, false);
        honoured("tokenizer", ValueType.STRING, null);
        // method
        honoured("stage", ValueType.oneOf(Stage.class), Stage.SFT);
        honoured("do_train", ValueType.BOOLEAN, true);
        honoured("finetuning_type", ValueType.oneOf(FinetuningType.class), FinetuningType.LORA);
        honoured("lora_rank", ValueType.INT, 8);
        honoured("lora_alpha", ValueType.INT, null);
        honoured("lora_dropout", ValueType.DOUBLE, 0.0);
        honoured("lora_target", ValueType.STRING_LIST, List.of("all"));
        // dataset
        honoured("dataset", ValueType.STRING_LIST, null);
        honoured("dataset_dir", ValueType.STRING, "data");
        honoured("template", ValueType.STRING, "default");
        honoured("cutoff_len", ValueType.INT, 2048);
        honoured("max_samples", ValueType.INT, null);
        honoured("eval_dataset", ValueType.STRING_LIST, null);
        honoured("seed", ValueType.INT, 42);
        honoured("skip_bad_rows", ValueType.BOOLEAN, false);
        honoured("streaming", ValueType.BOOLEAN, false);
        honoured("packing", ValueType.BOOLEAN, null);
        // output
        honoured("output_dir", ValueType.STRING, null);
        honoured("logging_steps", ValueType.INT, 500);
        honoured("save_steps", ValueType.INT, 500);
        honoured("save_total_limit", ValueType.INT, null);
        honoured("plot_loss", ValueType.BOOLEAN, false);
        honoured("overwrite_output_dir", ValueType.BOOLEAN, false);
        honoured("save_only_model", ValueType.BOOLEAN, false);
        // train
        honoured("per_device_train_batch_size", ValueType.INT, 8);
        honoured("gradient_accumulation_steps", ValueType.INT, 1);
        honoured("learning_rate", ValueType.DOUBLE, 5e-5);
        honoured("num_train_epochs", ValueType.DOUBLE, 3.0);
        honoured("max_steps", ValueType.INT, -1);
        honoured("lr_scheduler_type", ValueType.oneOf(LrSchedulerType.class), LrSchedulerType.LINEAR);
        honoured("warmup_ratio", ValueType.DOUBLE, 0.0);
        honoured("warmup_steps", ValueType.INT, 0);
        honoured("weight_decay", ValueType.DOUBLE, 0.0);
        honoured("adam_beta1", ValueType.DOUBLE, 0.9);
        honoured("adam_beta2", ValueType.DOUBLE, 0.999);
        honoured("adam_epsilon", ValueType.DOUBLE, 1e-8);
        honoured("max_grad_norm", ValueType.DOUBLE, 1.0);
        honoured("resume_from_checkpoint", CHECKPOINT, null);
        honoured("per_device_eval_batch_size", ValueType.INT, 8);
        honoured("eval_strategy", ValueType.oneOf(EvalStrategy.class), EvalStrategy.NO);
        honoured("eval_steps", ValueType.INT, null);
        // DataFlex
        honoured("train_type", ValueType.oneOf(TrainType.class, "static_full", TrainType.STATIC), TrainType.STATIC);
        honoured("components_cfg_file", ValueType.STRING, DEFAULT_COMPONENTS_FILE);
        honoured("component_name", ValueType.STRING, null);
        honoured("warmup_step", ValueType.INT, 0);
        honoured("update_step", ValueType.INT, 0);
        honoured("update_times", ValueType.INT, 1);
        honoured("train_step", ValueType.INT, 0);
        honoured("static_mix", ValueType.BOOLEAN, false);
        honoured("freeze_gate", ValueType.BOOLEAN, false);
        honoured("mixture_sample_rule", ValueType.oneOf(MixtureSampleRule.class), null);
        honoured("init_mixture_proportions", ValueType.DOUBLE_LIST, null);
        honoured("mixer_eval_dataset", ValueType.STRING_LIST, null);
        // data parallelism across Spark executors (our keys)
        honoured("sync_mode", ValueType.oneOf(SyncMode.class), SyncMode.NONE);
        honoured("num_replicas", ValueType.INT, 1);
        honoured("sync_every", ValueType.INT, 8);
        honoured("outer_lr", ValueType.DOUBLE, 1.0);
        honoured("outer_momentum", ValueType.DOUBLE, 0.0);

        String precision = "this engine trains in float32 (libtorch); mixed-precision flags have no effect";
        for (String key : List.of("bf16", "fp16", "pure_bf16", "tf32")) {
            inapplicable(key, ValueType.BOOLEAN, precision, Boolean.FALSE::equals);
        }
        String launcher = "data parallelism comes from Spark executors, not torch.distributed or DeepSpeed";
        for (String key : List.of("deepspeed", "ddp_timeout", "ddp_find_unused_parameters", "ddp_backend",
                "fsdp", "fsdp_config")) {
            inapplicable(key, ANY, launcher, KeyCatalog::isOff);
        }
        inapplicable("flash_attn", ValueType.STRING, "attention kernels are chosen by libtorch", "auto"::equals);
        inapplicable("trust_remote_code", ValueType.BOOLEAN,
                "models load from local directories or presets only; no remote code runs", Boolean.FALSE::equals);
        inapplicable("overwrite_cache", ValueType.BOOLEAN,
                "there is no LLaMA-Factory preprocessing cache; data is tokenized by Spark tasks",
                Boolean.FALSE::equals);
        String workers = "data loading and tokenization run in Spark tasks; parallelism follows the Spark partitions";
        for (String key : List.of("preprocessing_num_workers", "dataloader_num_workers",
                "dataloader_pin_memory", "dataloader_persistent_workers")) {
            inapplicable(key, ANY, workers, KeyCatalog::isOff);
        }
        String trackers = "experiment trackers are not integrated; metrics are written to <output_dir>/metrics.jsonl";
        inapplicable("report_to", ANY, trackers, KeyCatalog::isNone);
        inapplicable("use_swanlab", ValueType.BOOLEAN, trackers, Boolean.FALSE::equals);
        for (String key : List.of("swanlab_project", "swanlab_run_name", "swanlab_workspace", "swanlab_api_key",
                "swanlab_mode", "swanlab_logdir", "swanlab_lark_webhook_url", "swanlab_lark_secret",
                "logging_dir", "run_name")) {
            inapplicable(key, ANY, trackers, KeyCatalog::isOff);
        }
        String speed = "a speed/memory switch of the PyTorch and Hugging Face stack with no counterpart here";
        for (String key : List.of("gradient_checkpointing", "disable_gradient_checkpointing", "enable_liger_kernel",
                "use_unsloth", "low_cpu_mem_usage", "torch_compile", "upcast_layernorm")) {
            inapplicable(key, ANY, speed, KeyCatalog::isOff);
        }
        inapplicable("do_eval", ValueType.BOOLEAN,
                "evaluation runs when eval_strategy is steps or epoch and eval_dataset is set", value -> false);
        inapplicable("include_num_input_tokens_seen", ANY, "tokens and tokens/s are always logged", value -> false);
        inapplicable("include_tokens_per_second", ANY, "tokens and tokens/s are always logged", value -> false);

        refused("val_size", ValueType.DOUBLE, "carving a validation split out of the training data is not "
                + "supported yet; list a separate eval_dataset instead", value -> ((Double) value) == 0.0);
        refused("train_on_prompt", ValueType.BOOLEAN,
                "training on prompt tokens is not supported yet; only response tokens carry labels",
                Boolean.FALSE::equals);
        refused("mask_history", ValueType.BOOLEAN, "masking earlier turns is not supported yet",
                Boolean.FALSE::equals);
        refused("neat_packing", ValueType.BOOLEAN, "neat packing is not supported yet", Boolean.FALSE::equals);
        refused("disable_shuffling", ValueType.BOOLEAN, "training without shuffling is not supported yet",
                Boolean.FALSE::equals);
        refused("mix_strategy", ValueType.STRING, "only `concat` dataset mixing is supported (use "
                + "train_type: dynamic_mix for proportions)", "concat"::equals);
        refused("adapter_name_or_path", ValueType.STRING,
                "loading existing LoRA adapters is not supported yet; train from the base model", value -> false);
        for (String key : List.of("quantization_bit", "quantization_method", "quantization_type")) {
            refused(key, ANY, "quantized models are not supported yet", value -> false);
        }
        for (String key : List.of("use_dora", "use_rslora", "pissa_init", "pissa_convert", "create_new_adapter")) {
            refused(key, ValueType.BOOLEAN, "this LoRA variant is not supported yet; plain LoRA only",
                    Boolean.FALSE::equals);
        }
        refused("additional_target", ANY, "extra trainable modules beside LoRA are not supported yet",
                value -> false);
        refused("loraplus_lr_ratio", ANY, "LoRA+ is not supported yet", value -> false);
        refused("load_best_model_at_end", ValueType.BOOLEAN,
                "keeping the best checkpoint is not supported yet; checkpoints are kept every save_steps",
                Boolean.FALSE::equals);
        refused("metric_for_best_model", ValueType.STRING,
                "only eval_loss is computed by evaluation", value -> "eval_loss".equals(value) || "loss".equals(value));
        refused("greater_is_better", ValueType.BOOLEAN,
                "eval_loss is better when lower", Boolean.FALSE::equals);
        refused("early_stopping_steps", ANY, "early stopping is not supported yet", value -> false);
        refused("early_stopping_min_delta", ANY, "early stopping is not supported yet", value -> false);
        refused("do_predict", ValueType.BOOLEAN, "prediction is not part of `dataflex train`",
                Boolean.FALSE::equals);
        refused("save_strategy", ValueType.STRING, "checkpoints are saved every save_steps", "steps"::equals);
        refused("logging_strategy", ValueType.STRING, "metrics are logged every logging_steps", "steps"::equals);
        refused("optim", ValueType.STRING, "the optimizer is AdamW",
                value -> "adamw_torch".equals(value) || "adamw_hf".equals(value));
        for (String key : List.of("export_dir", "export_size", "export_device", "export_legacy_format",
                "export_quantization_bit", "export_hub_model_id")) {
            refused(key, ANY, "exporting or merging LoRA adapters is not part of `dataflex train`; "
                    + "this build has no export command yet", value -> false);
        }
    }

    private KeyCatalog() {
    }

    static Optional<KeyRule> find(String key) {
        return Optional.ofNullable(RULES.get(key));
    }

    static Collection<KeyRule> rules() {
        return Collections.unmodifiableCollection(RULES.values());
    }

    /** The honoured keys in catalog order (the order of {@code config.resolved.yaml}). */
    static List<KeyRule.Honoured> honouredRules() {
        return RULES.values().stream().filter(KeyRule.Honoured.class::isInstance)
                .map(KeyRule.Honoured.class::cast).toList();
    }

    /** The default of an honoured key. */
    static Object defaultOf(String key) {
        return ((KeyRule.Honoured) RULES.get(key)).defaultValue();
    }

    static Collection<String> allKeys() {
        return Collections.unmodifiableSet(RULES.keySet());
    }

    /** Values that switch a feature off, so mentioning that it has no effect would only be noise. */
    private static boolean isOff(Object value) {
        return Boolean.FALSE.equals(value) || isNone(value);
    }

    private static boolean isNone(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().allMatch(KeyCatalog::isNone);
        }
        return "none".equals(value) || "".equals(value) || (value instanceof List<?> list && list.isEmpty());
    }

    private static void honoured(String key, ValueType<?> type, Object defaultValue) {
        add(new KeyRule.Honoured(key, type, defaultValue));
    }

    private static void inapplicable(String key, ValueType<?> type, String reason, Predicate<Object> silentWhen) {
        add(new KeyRule.Inapplicable(key, type, reason, silentWhen));
    }

    private static void refused(String key, ValueType<?> type, String reason, Predicate<Object> acceptedWhen) {
        add(new KeyRule.Refused(key, type, reason, acceptedWhen));
    }

    private static void add(KeyRule rule) {
        KeyRule previous = RULES.put(rule.key(), rule);
        if (previous != null) {
            throw new IllegalStateException("key catalog lists `" + rule.key() + "` twice");
        }
        Objects.requireNonNull(rule.type(), rule.key());
    }
}
