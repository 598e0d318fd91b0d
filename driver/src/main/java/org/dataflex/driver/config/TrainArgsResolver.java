package org.dataflex.driver.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes typed settings into effective values (defaults and derived values) and checks them against each
 * other and against what this build can run. Every problem goes to {@link Problems}, naming the key and, where
 * the user wrote it, the file line.
 */
final class TrainArgsResolver {
    /** Where the Python DataFlex examples point {@code components_cfg_file}; it maps to our own file. */
    private static final String REFERENCE_COMPONENTS_FILE = "src/dataflex/configs/components.yaml";

    private static final List<String> LOCAL_SGD_KEYS = List.of("sync_every", "outer_lr", "outer_momentum");

    private final SettingsClassifier input;
    private final Problems problems;
    private final Path workingDir;
    private final Path homeDir;
    private final BuildCapabilities capabilities;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> notices = new ArrayList<>();
    private ComponentSpec component;

    TrainArgsResolver(SettingsClassifier input, Problems problems, Path workingDir, Path homeDir,
                      BuildCapabilities capabilities) {
        this.input = input;
        this.problems = problems;
        this.workingDir = workingDir;
        this.homeDir = homeDir;
        this.capabilities = capabilities;
    }

    /** Resolves and checks everything; the caller throws if {@link Problems} is not empty afterwards. */
    void resolve() {
        for (KeyRule.Honoured rule : KeyCatalog.honouredRules()) {
            values.put(rule.key(), input.typed.getOrDefault(rule.key(), rule.defaultValue()));
        }
        checkModel();
        checkDataset();
        checkOutput();
        checkMethod();
        checkTraining();
        checkEvaluation();
        checkMixtureProportions();
        checkTrainType();
    }

    Map<String, Object> values() {
        return values;
    }

    List<String> notices() {
        return notices;
    }

    ComponentSpec component() {
        return component;
    }

    // ---- model and tokenizer

    private void checkModel() {
        String model = string("model_name_or_path");
        if (model == null || model.isBlank()) {
            required("model_name_or_path", "e.g. preset:gpt-micro or a directory with config.json and "
                    + ModelFiles.MODEL_WEIGHTS);
        } else if (ModelFiles.isPreset(model)) {
            if (model.length() == ModelFiles.PRESET_PREFIX.length()) {
                problem("model_name_or_path", "name the preset after `preset:`, e.g. preset:gpt-micro");
            }
        } else if (!ModelFiles.isRemote(model)) {
            checkModelDirectory(model);
        }
        String tokenizer = string("tokenizer");
        if (tokenizer == null) {
            values.put("tokenizer", defaultTokenizer(model));
        } else if (!ModelFiles.isBuiltInTokenizer(tokenizer) && !ModelFiles.isRemote(tokenizer)
                && !ModelFiles.hasTokenizerFiles(local(tokenizer))) {
            problem("tokenizer", "expected `gpt2` or a tokenizer directory with " + ModelFiles.TOKENIZER_CONFIG
                    + "; there is none in " + local(tokenizer));
        }
    }

    private void checkModelDirectory(String model) {
        Path dir = local(model);
        if (!Files.isDirectory(dir)) {
            problem("model_name_or_path", "`" + model + "` is neither `preset:<name>` nor a local directory ("
                    + dir + " does not exist); models load offline: use preset:gpt-micro or a directory with "
                    + ModelFiles.MODEL_CONFIG + " and " + ModelFiles.MODEL_WEIGHTS);
            return;
        }
        if (!Files.isRegularFile(dir.resolve(ModelFiles.MODEL_CONFIG))) {
            problem("model_name_or_path", dir + " has no " + ModelFiles.MODEL_CONFIG);
        }
        if (!bool("train_from_scratch") && !Files.isRegularFile(dir.resolve(ModelFiles.MODEL_WEIGHTS))) {
            problem("model_name_or_path", dir + " has no " + ModelFiles.MODEL_WEIGHTS
                    + " (set train_from_scratch: true to start from random weights)");
        }
    }

    private String defaultTokenizer(String model) {
        if (model != null && !model.isBlank() && !ModelFiles.isPreset(model) && !ModelFiles.isRemote(model)
                && ModelFiles.hasTokenizerFiles(local(model))) {
            return model;
        }
        return ModelFiles.GPT2_TOKENIZER;
    }

    // ---- data and output

    private void checkDataset() {
        List<?> datasets = (List<?>) values.get("dataset");
        if (datasets == null || datasets.isEmpty()) {
            required("dataset", "one dataset name or a comma list from dataset_info.json");
        }
        if (bool("streaming")) {
            problem("streaming", "true cannot be honoured by this build: streaming datasets are not supported "
                    + "yet; datasets are read as Spark partitions");
        }
        positive("max_samples");
        if (integer("cutoff_len") < 2) {
            problem("cutoff_len", "must be at least 2 (one input and one label token), got "
                    + values.get("cutoff_len"));
        }
        Stage stage = (Stage) values.get("stage");
        boolean packs = stage == Stage.PT;
        Boolean packing = (Boolean) values.get("packing");
        if (packing == null) {
            values.put("packing", packs);
        } else if (packing != packs) {
            problem("packing", packing + " cannot be honoured by this build with stage " + stage.configName()
                    + ": pre-training (pt) always packs text into cutoff_len blocks and sft never packs");
        }
    }

    private void checkOutput() {
        String outputDir = string("output_dir");
        if (outputDir == null || outputDir.isBlank()) {
            required("output_dir", "the run directory for metrics, checkpoints and plots");
        }
        positive("logging_steps");
        positive("save_steps");
        positive("save_total_limit");
    }

    private void checkDataParallelism() {
        positive("num_replicas");
        positive("sync_every");
        SyncMode mode = (SyncMode) values.get("sync_mode");
        Integer replicas = (Integer) values.get("num_replicas");
        if (mode != SyncMode.LOCAL_SGD) {
            // a default value is harmless (a written config.resolved.yaml holds every key); any other is a mistake
            for (String key : LOCAL_SGD_KEYS) {
                Object given = input.typed.get(key);
                if (given != null && !given.equals(KeyCatalog.defaultOf(key))) {
                    problem(key, "only applies to sync_mode: local_sgd (sync_mode is "
                            + (mode == null ? "unset" : mode.configName()) + ")");
                }
            }
        } else {
            if (!(number("outer_lr") > 0) || !Double.isFinite(number("outer_lr"))) {
                problem("outer_lr", "must be positive (1.0 with outer_momentum 0 is plain averaging), got "
                        + values.get("outer_lr"));
            }
            if (!(number("outer_momentum") >= 0 && number("outer_momentum") < 1)) {
                problem("outer_momentum", "must be in [0, 1) (DiLoCo uses 0.9), got " + values.get("outer_momentum"));
            }
        }
        if (replicas == null || replicas < 1) return;
        if (mode == SyncMode.NONE && replicas > 1) {
            problem("num_replicas", "is " + replicas + " but sync_mode is none; set sync_mode: allreduce or local_sgd");
        }
        if (mode != SyncMode.NONE && replicas > integer("gradient_accumulation_steps")) {
            problem("num_replicas", mode.configName() + " splits each step's gradient_accumulation_steps "
                    + "micro-batches across the replicas, so it needs num_replicas <= gradient_accumulation_steps ("
                    + integer("gradient_accumulation_steps") + "), got " + replicas);
        }
    }

    // ---- method and optimisation

    private void checkMethod() {
        positive("lora_rank");
        Integer alpha = (Integer) values.get("lora_alpha");
        if (alpha == null) {
            values.put("lora_alpha", 2 * integer("lora_rank"));
        } else if (alpha <= 0) {
            problem("lora_alpha", "must be positive, got " + alpha);
        }
        inUnitInterval("lora_dropout");
        if (((List<?>) values.get("lora_target")).isEmpty()) {
            problem("lora_target", "must name at least one module, or `all`");
        }
    }

    private void checkTraining() {
        positive("per_device_train_batch_size");
        positive("gradient_accumulation_steps");
        checkDataParallelism();
        double learningRate = number("learning_rate");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            problem("learning_rate", "must be a positive number, got " + learningRate);
        }
        int maxSteps = integer("max_steps");
        if (maxSteps < -1) {
            problem("max_steps", "must be -1 (derive from num_train_epochs) or positive, got " + maxSteps);
        }
        double epochs = number("num_train_epochs");
        if (maxSteps <= 0 && integer("train_step") <= 0 && !(epochs > 0)) {
            problem("num_train_epochs", "must be positive unless max_steps or train_step is set, got " + epochs);
        }
        inUnitInterval("warmup_ratio");
        nonNegative("warmup_steps");
        if (number("weight_decay") < 0) {
            problem("weight_decay", "must not be negative, got " + values.get("weight_decay"));
        }
        inUnitInterval("adam_beta1");
        inUnitInterval("adam_beta2");
        if (!(number("adam_epsilon") > 0)) {
            problem("adam_epsilon", "must be positive, got " + values.get("adam_epsilon"));
        }
        if (number("max_grad_norm") < 0) {
            problem("max_grad_norm", "must not be negative (0 disables clipping), got " + values.get("max_grad_norm"));
        }
        String resume = string("resume_from_checkpoint");
        if (resume != null && resume.isBlank()) {
            values.put("resume_from_checkpoint", null);
        }
    }

    private void checkEvaluation() {
        positive("per_device_eval_batch_size");
        EvalStrategy strategy = (EvalStrategy) values.get("eval_strategy");
        List<?> evalDatasets = (List<?>) values.get("eval_dataset");
        if (evalDatasets != null && evalDatasets.isEmpty()) {
            values.put("eval_dataset", null);
            evalDatasets = null;
        }
        if (strategy != EvalStrategy.NO && evalDatasets == null && !input.invalidKeys.contains("eval_dataset")) {
            problem("eval_strategy", strategy.configName() + " needs eval_dataset (or set eval_strategy: no)");
        }
        if (strategy == EvalStrategy.STEPS) {
            if (values.get("eval_steps") == null) {
                values.put("eval_steps", values.get("logging_steps")); // Hugging Face's fallback
            }
            positive("eval_steps");
        }
    }

    private void checkMixtureProportions() {
        @SuppressWarnings("unchecked")
        List<Double> proportions = (List<Double>) values.get("init_mixture_proportions");
        if (proportions == null) {
            return;
        }
        double sum = 0;
        for (double p : proportions) {
            if (!(p >= 0) || Double.isInfinite(p)) {
                problem("init_mixture_proportions", "every proportion must be a finite number >= 0, got " + proportions);
                return;
            }
            sum += p;
        }
        if (!(sum > 0)) {
            problem("init_mixture_proportions", "the proportions must not all be zero");
        }
        List<?> datasets = (List<?>) values.get("dataset");
        if (datasets != null && !datasets.isEmpty() && proportions.size() != datasets.size()) {
            problem("init_mixture_proportions", "has " + proportions.size() + " values for " + datasets.size()
                    + " datasets " + datasets + "; give one proportion per dataset");
        }
    }

    // ---- DataFlex trainer and component

    private void checkTrainType() {
        TrainType type = (TrainType) values.get("train_type");
        nonNegative("warmup_step");
        nonNegative("update_step");
        nonNegative("train_step");
        if (!type.isDynamic()) {
            if (values.get("component_name") != null) {
                notices.add("component_name is ignored with train_type static");
            }
            return;
        }
        if (!capabilities.supports(type)) {
            problem("train_type", "`" + type.configName() + "` is not available in this build yet; available now: "
                    + capabilities.describeTrainTypes());
            return;
        }
        checkSchedule(type);
        boolean needsComponent = !(type == TrainType.DYNAMIC_MIX && bool("static_mix"));
        String name = string("component_name");
        if (!needsComponent) {
            if (name != null) {
                notices.add("component_name is ignored with static_mix: true (no mixer is built; "
                        + "init_mixture_proportions and mixture_sample_rule decide the mixture)");
            }
            return;
        }
        if (name == null || name.isBlank()) {
            required("component_name", "train_type " + type.configName() + " builds the "
                    + type.componentKind().configName() + " named here (see " + string("components_cfg_file") + ")");
            return;
        }
        ComponentCatalog catalog = loadComponentCatalog();
        if (catalog != null) {
            String problem = catalog.problemResolving(type.componentKind(), name);
            if (problem != null) {
                problem("component_name", problem);
            } else {
                component = catalog.resolve(type.componentKind(), name);
            }
        }
    }

    /** Requirements the Python trainers leave unchecked and then silently train nothing (spec 3.0, 3.1.1). */
    private void checkSchedule(TrainType type) {
        if (type == TrainType.DYNAMIC_SELECT) {
            atLeastOne("warmup_step", "the select trainer trains the warmup subset first");
            atLeastOne("update_step", "each selection lasts update_step steps");
        }
        if (type == TrainType.DYNAMIC_MIX) {
            if (values.get("mixture_sample_rule") == null) {
                required("mixture_sample_rule", "train_type dynamic_mix needs mixture, stratified or uniform");
            }
            if (!bool("static_mix")) {
                atLeastOne("warmup_step", "the mix trainer trains on the initial mixture first");
                if (integer("update_times") != 0) {
                    atLeastOne("update_step", "the mixture is updated every update_step steps");
                }
            }
        }
    }

    private ComponentCatalog loadComponentCatalog() {
        String configured = string("components_cfg_file");
        Path file = findComponentsFile(configured);
        if (file == null) {
            problem("components_cfg_file", "file not found: " + local(configured)
                    + (homeDir.equals(workingDir) ? "" : " (nor under " + homeDir + ")"));
            return null;
        }
        values.put("components_cfg_file", file.toString());
        try {
            return capabilities.applyTo(ComponentCatalog.load(file));
        } catch (ConfigException e) {
            e.problems().forEach(message -> problem("components_cfg_file", file + ": " + message));
            return null;
        }
    }

    private Path findComponentsFile(String configured) {
        Path given = Path.of(configured);
        List<Path> candidates = new ArrayList<>();
        candidates.add(workingDir.resolve(given));
        if (!given.isAbsolute()) {
            candidates.add(homeDir.resolve(given));
        }
        if (configured.equals(REFERENCE_COMPONENTS_FILE)) {
            candidates.add(workingDir.resolve(KeyCatalog.DEFAULT_COMPONENTS_FILE));
            candidates.add(homeDir.resolve(KeyCatalog.DEFAULT_COMPONENTS_FILE));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                Path found = candidate.toAbsolutePath().normalize();
                if (configured.equals(REFERENCE_COMPONENTS_FILE) && !candidate.endsWith(given)) {
                    notices.add("components_cfg_file " + configured + " is the Python DataFlex path; using " + found);
                }
                return found;
            }
        }
        return null;
    }

    // ---- helpers

    private Path local(String path) {
        return workingDir.resolve(path).toAbsolutePath().normalize();
    }

    private String string(String key) {
        return (String) values.get(key);
    }

    private boolean bool(String key) {
        return (Boolean) values.get(key);
    }

    private int integer(String key) {
        return (Integer) values.get(key);
    }

    private double number(String key) {
        return (Double) values.get(key);
    }

    private void positive(String key) {
        Integer value = (Integer) values.get(key);
        if (value != null && value <= 0) {
            problem(key, "must be positive, got " + value);
        }
    }

    private void nonNegative(String key) {
        int value = integer(key);
        if (value < 0) {
            problem(key, "must not be negative, got " + value);
        }
    }

    private void atLeastOne(String key, String why) {
        int value = integer(key);
        if (value < 1) {
            problem(key, "must be at least 1 for train_type " + ((TrainType) values.get("train_type")).configName()
                    + " (" + why + "), got " + value);
        }
    }

    private void inUnitInterval(String key) {
        double value = number(key);
        if (!(value >= 0 && value < 1)) {
            problem(key, "must be in [0, 1), got " + value);
        }
    }

    private void required(String key, String hint) {
        if (!input.invalidKeys.contains(key)) {
            problem(key, "is required: " + hint);
        }
    }

    /** Reports at the line the user wrote the key on, or just the key when the value is a default. */
    private void problem(String key, String message) {
        Setting setting = input.settings.get(key);
        if (setting != null) {
            problems.add(setting, message);
        } else {
            problems.add(key + ": " + message);
        }
    }
}
