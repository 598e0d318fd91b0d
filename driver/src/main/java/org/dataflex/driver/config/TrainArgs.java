package org.dataflex.driver.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated, typed settings of one {@code dataflex train} run. Immutable and serializable (it travels to
 * Spark executors). Values are the effective ones: defaults filled in and derived values resolved (LoRA alpha,
 * tokenizer, eval steps, packing). Enumerated settings are returned as their validated config names (e.g.
 * {@code stage()} is {@code "pt"} or {@code "sft"}) so that other modules can take them without depending on
 * this package. Keys keep their LLaMA-Factory / DataFlex names in {@link #asResolvedMap()}.
 * Create instances with {@link ConfigLoader}.
 */
public final class TrainArgs implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> values;
    private final List<String> notices;
    private final Map<String, String> sparkConf;
    private final String sourcePath;
    private final ComponentSpec component;

    TrainArgs(Map<String, Object> values, List<String> notices, Map<String, String> sparkConf, String sourcePath,
              ComponentSpec component) {
        Map<String, Object> plain = new LinkedHashMap<>();
        values.forEach((key, value) -> plain.put(key, value instanceof ConfigEnum e ? e.configName() : value));
        this.values = Collections.unmodifiableMap(plain);
        this.notices = List.copyOf(notices);
        this.sparkConf = Collections.unmodifiableMap(new TreeMap<>(sparkConf));
        this.sourcePath = sourcePath;
        this.component = component;
    }

    // ---- model

    /** {@code preset:<name>} or a local directory with config.json (+ model.safetensors unless from scratch). */
    public String modelNameOrPath() {
        return (String) values.get("model_name_or_path");
    }

    public boolean trainFromScratch() {
        return (Boolean) values.get("train_from_scratch");
    }

    /**
     * {@code gpt2} (or {@code r50k_base}) or a tokenizer directory with tokenizer_config.json; by default the model
     * directory when it holds one, else {@code gpt2}.
     */
    public String tokenizer() {
        return (String) values.get("tokenizer");
    }

    // ---- method

    /** {@code pt} or {@code sft}. */
    public String stage() {
        return (String) values.get("stage");
    }

    public boolean doTrain() {
        return (Boolean) values.get("do_train");
    }

    /** {@code full} or {@code lora}. */
    public String finetuningType() {
        return (String) values.get("finetuning_type");
    }

    public int loraRank() {
        return (Integer) values.get("lora_rank");
    }

    /** The configured alpha, or twice the rank when not configured (LLaMA-Factory's default); never null. */
    public Integer loraAlpha() {
        return (Integer) values.get("lora_alpha");
    }

    public double loraDropout() {
        return (Double) values.get("lora_dropout");
    }

    /** Module names that get LoRA adapters; {@code [all]} means every linear layer. */
    @SuppressWarnings("unchecked")
    public List<String> loraTarget() {
        return (List<String>) values.get("lora_target");
    }

    // ---- dataset

    /** Training dataset names from {@code dataset_info.json}, in order (the order defines mix domain ids). */
    @SuppressWarnings("unchecked")
    public List<String> dataset() {
        return (List<String>) values.get("dataset");
    }

    public String datasetDir() {
        return (String) values.get("dataset_dir");
    }

    public String template() {
        return (String) values.get("template");
    }

    public int cutoffLen() {
        return (Integer) values.get("cutoff_len");
    }

    /** Per-dataset row cap, or null for all rows. */
    public Integer maxSamples() {
        return (Integer) values.get("max_samples");
    }

    /** Eval dataset names, or null when none is configured. */
    @SuppressWarnings("unchecked")
    public List<String> evalDataset() {
        return (List<String>) values.get("eval_dataset");
    }

    public int seed() {
        return (Integer) values.get("seed");
    }

    /** Skip rows that cannot be parsed or formatted (with a count in the log) instead of failing. */
    public boolean skipBadRows() {
        return (Boolean) values.get("skip_bad_rows");
    }

    /** Always false: streaming datasets are refused at load time. */
    public boolean streaming() {
        return (Boolean) values.get("streaming");
    }

    /** Whether samples are packed into cutoff_len blocks: true for pt, false for sft. */
    public boolean packing() {
        return (Boolean) values.get("packing");
    }

    // ---- output

    public String outputDir() {
        return (String) values.get("output_dir");
    }

    public int loggingSteps() {
        return (Integer) values.get("logging_steps");
    }

    public int saveSteps() {
        return (Integer) values.get("save_steps");
    }

    /** Most checkpoints kept, or null to keep all. */
    public Integer saveTotalLimit() {
        return (Integer) values.get("save_total_limit");
    }

    public boolean plotLoss() {
        return (Boolean) values.get("plot_loss");
    }

    public boolean overwriteOutputDir() {
        return (Boolean) values.get("overwrite_output_dir");
    }

    public boolean saveOnlyModel() {
        return (Boolean) values.get("save_only_model");
    }

    // ---- train

    public int perDeviceTrainBatchSize() {
        return (Integer) values.get("per_device_train_batch_size");
    }

    public int gradientAccumulationSteps() {
        return (Integer) values.get("gradient_accumulation_steps");
    }

    public double learningRate() {
        return (Double) values.get("learning_rate");
    }

    public double numTrainEpochs() {
        return (Double) values.get("num_train_epochs");
    }

    /** Total optimizer steps when positive; -1 (or 0) means derive from num_train_epochs. */
    public int maxSteps() {
        return (Integer) values.get("max_steps");
    }

    /** One of linear, cosine, cosine_with_restarts, polynomial, constant, constant_with_warmup, inverse_sqrt. */
    public String lrSchedulerType() {
        return (String) values.get("lr_scheduler_type");
    }

    public double warmupRatio() {
        return (Double) values.get("warmup_ratio");
    }

    /** Scheduler warmup steps; when positive it wins over warmup_ratio (as in Hugging Face). */
    public int warmupSteps() {
        return (Integer) values.get("warmup_steps");
    }

    public double weightDecay() {
        return (Double) values.get("weight_decay");
    }

    public double adamBeta1() {
        return (Double) values.get("adam_beta1");
    }

    public double adamBeta2() {
        return (Double) values.get("adam_beta2");
    }

    public double adamEpsilon() {
        return (Double) values.get("adam_epsilon");
    }

    /** Gradient clipping norm; 0 disables clipping. */
    public double maxGradNorm() {
        return (Double) values.get("max_grad_norm");
    }

    /** Null (start fresh), {@code "true"} (latest checkpoint in output_dir) or a checkpoint directory. */
    public String resumeFromCheckpoint() {
        return (String) values.get("resume_from_checkpoint");
    }

    public int perDeviceEvalBatchSize() {
        return (Integer) values.get("per_device_eval_batch_size");
    }

    /** {@code no}, {@code steps} or {@code epoch}. */
    public String evalStrategy() {
        return (String) values.get("eval_strategy");
    }

    /** Steps between evaluations when eval_strategy is steps (logging_steps when not configured), else null. */
    public Integer evalSteps() {
        return (Integer) values.get("eval_steps");
    }

    // ---- DataFlex

    /** static, dynamic_select, dynamic_mix or dynamic_weight ({@code static_full} is loaded as static). */
    public String trainType() {
        return (String) values.get("train_type");
    }

    /** The components file as configured, made absolute when it was found on disk. */
    public String componentsCfgFile() {
        return (String) values.get("components_cfg_file");
    }

    public String componentName() {
        return (String) values.get("component_name");
    }

    public int warmupStep() {
        return (Integer) values.get("warmup_step");
    }

    public int updateStep() {
        return (Integer) values.get("update_step");
    }

    public int updateTimes() {
        return (Integer) values.get("update_times");
    }

    /** none, allreduce or local_sgd. */
    public String syncMode() {
        return (String) values.get("sync_mode");
    }

    /** Training replicas, one per executor task slot (1 unless sync_mode is allreduce or local_sgd). */
    public int numReplicas() {
        return (Integer) values.get("num_replicas");
    }

    /** local_sgd: optimizer steps each replica trains on its own between parameter averages. */
    public int syncEvery() {
        return (Integer) values.get("sync_every");
    }

    /** local_sgd: the outer (DiLoCo) learning rate; 1.0 with no momentum is plain averaging. */
    public double outerLr() {
        return (Double) values.get("outer_lr");
    }

    /** local_sgd: the outer Nesterov momentum; 0 disables it. */
    public double outerMomentum() {
        return (Double) values.get("outer_momentum");
    }

    public int trainStep() {
        return (Integer) values.get("train_step");
    }

    public boolean staticMix() {
        return (Boolean) values.get("static_mix");
    }

    public boolean freezeGate() {
        return (Boolean) values.get("freeze_gate");
    }

    /** mixture, stratified or uniform; null when not configured (required by train_type dynamic_mix). */
    public String mixtureSampleRule() {
        return (String) values.get("mixture_sample_rule");
    }

    /** Null when not configured. */
    @SuppressWarnings("unchecked")
    public List<Double> initMixtureProportions() {
        return (List<Double>) values.get("init_mixture_proportions");
    }

    /** Per-domain eval sets for the dynamic MoE mixer, or null. */
    @SuppressWarnings("unchecked")
    public List<String> mixerEvalDataset() {
        return (List<String>) values.get("mixer_eval_dataset");
    }

    /** The resolved component (dynamic train types only; static mixing builds none). */
    public Optional<ComponentSpec> component() {
        return Optional.ofNullable(component);
    }

    // ---- provenance

    /**
     * Every honoured key with its effective value under its LLaMA-Factory / DataFlex name (enums as their config
     * names), followed by the {@code spark.*} settings: the content of {@code config.resolved.yaml}, which loads
     * back into equal arguments. Spark settings that look like credentials (secret, password, token, credential,
     * access key) are left out so they never reach run directories or logs.
     */
    public Map<String, Object> asResolvedMap() {
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.putAll(values);
        sparkConf.forEach((key, value) -> {
            if (!looksSecret(key)) {
                resolved.put(key, value);
            }
        });
        return Collections.unmodifiableMap(resolved);
    }

    private static boolean looksSecret(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("secret") || lower.contains("password") || lower.contains("token")
                || lower.contains("credential") || lower.contains("access.key");
    }

    /** {@link #asResolvedMap()} as YAML text, one {@code key: value} line per setting. */
    public String toResolvedYaml() {
        return ConfigYaml.dump(asResolvedMap());
    }

    /** One line per group of keys that were accepted but have no effect on this engine, for the CLI to print. */
    public List<String> notices() {
        return notices;
    }

    /** {@code spark.*} keys of the config, passed to the Spark session as they are. */
    public Map<String, String> sparkConf() {
        return sparkConf;
    }

    /** Absolute path of the config file these arguments were loaded from. */
    public String sourcePath() {
        return sourcePath;
    }

    /** Equal when every effective setting, Spark setting, component and notice is equal (the source may differ). */
    @Override
    public boolean equals(Object other) {
        return other instanceof TrainArgs that && values.equals(that.values) && sparkConf.equals(that.sparkConf)
                && Objects.equals(component, that.component) && notices.equals(that.notices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, sparkConf, component, notices);
    }

    @Override
    public String toString() {
        return "TrainArgs" + asResolvedMap() + " from " + sourcePath; // credentials are left out
    }
}
