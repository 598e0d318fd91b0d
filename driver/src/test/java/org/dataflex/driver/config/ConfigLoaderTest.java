package org.dataflex.driver.config;

import static org.dataflex.driver.config.TestConfigs.MINIMAL;
import static org.dataflex.driver.config.TestConfigs.fail;
import static org.dataflex.driver.config.TestConfigs.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void minimalConfigGetsLlamaFactoryAndHuggingFaceDefaults() {
        TrainArgs args = load(dir, MINIMAL);

        assertEquals("preset:gpt-micro", args.modelNameOrPath());
        assertEquals(List.of("wiki_demo"), args.dataset());
        assertEquals("sft", args.stage());
        assertEquals("lora", args.finetuningType());
        assertEquals(8, args.loraRank());
        assertEquals(16, args.loraAlpha(), "alpha defaults to twice the rank");
        assertEquals(List.of("all"), args.loraTarget());
        assertEquals("data", args.datasetDir());
        assertEquals("default", args.template());
        assertEquals(2048, args.cutoffLen());
        assertNull(args.maxSamples());
        assertNull(args.evalDataset());
        assertEquals(42, args.seed());
        assertFalse(args.packing(), "sft does not pack");
        assertEquals(500, args.loggingSteps());
        assertEquals(500, args.saveSteps());
        assertEquals(8, args.perDeviceTrainBatchSize());
        assertEquals(1, args.gradientAccumulationSteps());
        assertEquals(5e-5, args.learningRate());
        assertEquals(3.0, args.numTrainEpochs());
        assertEquals(-1, args.maxSteps());
        assertEquals("linear", args.lrSchedulerType());
        assertEquals(0.9, args.adamBeta1());
        assertEquals(0.999, args.adamBeta2());
        assertEquals(1e-8, args.adamEpsilon());
        assertEquals(1.0, args.maxGradNorm());
        assertNull(args.resumeFromCheckpoint());
        assertEquals("no", args.evalStrategy());
        assertNull(args.evalSteps());
        assertEquals("static", args.trainType());
        assertEquals("conf/components.yaml", args.componentsCfgFile());
        assertEquals(1, args.updateTimes());
        assertEquals("gpt2", args.tokenizer());
        assertTrue(args.notices().isEmpty());
        assertTrue(args.sparkConf().isEmpty());
        assertTrue(args.component().isEmpty());
        assertEquals(dir.resolve("train.yaml").toString(), args.sourcePath());
    }

    @Test
    void scientificNotationIsANumberWithAndWithoutADot() {
        TrainArgs dotted = load(dir, MINIMAL + "learning_rate: 1.0e-4\nadam_epsilon: 1e-6\n");
        assertEquals(1e-4, dotted.learningRate());
        assertEquals(1e-6, dotted.adamEpsilon());

        TrainArgs overridden = load(dir, MINIMAL, "learning_rate=5e-5", "adam_epsilon=1.0e-7");
        assertEquals(5e-5, overridden.learningRate());
        assertEquals(1e-7, overridden.adamEpsilon());
    }

    @Test
    void onlyTrueAndFalseAreBooleansSoEvalStrategyNoStaysAName() {
        TrainArgs args = load(dir, MINIMAL + "eval_strategy: no\nplot_loss: True\n", "overwrite_output_dir=false");
        assertEquals("no", args.evalStrategy());
        assertTrue(args.plotLoss());
        assertFalse(args.overwriteOutputDir());

        ConfigException error = fail(dir, MINIMAL + "plot_loss: yes\n");
        assertEquals(List.of("train.yaml:4: plot_loss: expected true or false, got `yes`"), error.problems());
    }

    @Test
    void overridesWinAndParseNumbersListsAndCommaLists() {
        TrainArgs args = load(dir, MINIMAL + "learning_rate: 1.0e-4\ncutoff_len: 512\n",
                "learning_rate=3e-4", "cutoff_len=256", "dataset=wiki_demo, c4_demo",
                "init_mixture_proportions=[0.25,0.75]", "lora_target=[c_attn, c_proj]", "plot_loss=true",
                "eval_dataset=c4_demo", "eval_strategy=steps");

        assertEquals(3e-4, args.learningRate());
        assertEquals(256, args.cutoffLen());
        assertEquals(List.of("wiki_demo", "c4_demo"), args.dataset());
        assertEquals(List.of(0.25, 0.75), args.initMixtureProportions());
        assertEquals(List.of("c_attn", "c_proj"), args.loraTarget());
        assertTrue(args.plotLoss());
        assertEquals(List.of("c4_demo"), args.evalDataset());
        assertEquals(500, args.evalSteps(), "eval_steps falls back to logging_steps like Hugging Face");
    }

    @Test
    void laterOverrideOfTheSameKeyWins() {
        assertEquals(7, load(dir, MINIMAL, "seed=3", "seed=7").seed());
    }

    @Test
    void unknownKeyNamesTheKeyItsLineAndTheClosestValidNames() {
        ConfigException error = fail(dir, MINIMAL + "learnig_rate: 1.0e-4\n");

        assertEquals(1, error.problems().size());
        String problem = error.problems().get(0);
        assertTrue(problem.startsWith("train.yaml:4: learnig_rate: unknown key"), problem);
        assertTrue(problem.contains("did you mean `learning_rate`?"), problem);
    }

    @Test
    void unknownOverrideKeyIsReportedWithItsArgument() {
        ConfigException error = fail(dir, MINIMAL, "lora_rnk=4");
        assertTrue(error.getMessage().contains("command line argument `lora_rnk=4`: lora_rnk: unknown key"),
                error.getMessage());
        assertTrue(error.getMessage().contains("`lora_rank`"), error.getMessage());
    }

    @Test
    void wrongTypesNameTheKeyAndTheValue() {
        ConfigException error = fail(dir, MINIMAL + "learning_rate: abc\nlogging_steps: 2.5\nplot_loss: maybe\n");

        assertEquals(List.of(
                "train.yaml:4: learning_rate: expected a number, got `abc`",
                "train.yaml:5: logging_steps: expected an integer, got 2.5",
                "train.yaml:6: plot_loss: expected true or false, got `maybe`"), error.problems());
    }

    @Test
    void allProblemsAreReportedTogether() {
        ConfigException error = fail(dir, """
                model_name_or_path: preset:gpt-micro
                dataset: wiki_demo
                output_dir: out
                warmup_ratoi: 0.1
                per_device_train_batch_size: 0
                learning_rate: fast
                val_size: 0.1
                lr_scheduler_type: cosine_annealing
                """, "cutoff_len=1");

        assertEquals(6, error.problems().size(), error.getMessage());
        String message = error.getMessage();
        assertTrue(message.startsWith("6 problems in configuration train.yaml:"), message);
        for (String key : List.of("warmup_ratoi", "per_device_train_batch_size", "learning_rate", "val_size",
                "lr_scheduler_type", "cutoff_len")) {
            assertTrue(message.contains(key + ":"), key + " missing in " + message);
        }
        assertTrue(message.contains("expected one of linear, cosine,"), message);
    }

    @Test
    void requiredKeysAreNamed() {
        ConfigException error = fail(dir, "stage: sft\n");
        String message = error.getMessage();
        assertTrue(message.contains("model_name_or_path: is required"), message);
        assertTrue(message.contains("dataset: is required"), message);
        assertTrue(message.contains("output_dir: is required"), message);
    }

    @Test
    void semanticChecksNameTheirKeys() {
        ConfigException error = fail(dir, MINIMAL + """
                stage: rl
                finetuning_type: freeze
                gradient_accumulation_steps: -1
                learning_rate: 0
                warmup_ratio: 1.5
                lora_rank: 0
                eval_strategy: steps
                init_mixture_proportions: [0.5, 0.5]
                """);
        String message = error.getMessage();
        assertTrue(message.contains("stage: expected one of pt, sft, got `rl`"), message);
        assertTrue(message.contains("finetuning_type: expected one of full, lora, got `freeze`"), message);
        assertTrue(message.contains("gradient_accumulation_steps: must be positive, got -1"), message);
        assertTrue(message.contains("learning_rate: must be a positive number"), message);
        assertTrue(message.contains("warmup_ratio: must be in [0, 1), got 1.5"), message);
        assertTrue(message.contains("lora_rank: must be positive"), message);
        assertTrue(message.contains("eval_strategy: steps needs eval_dataset"), message);
        assertTrue(message.contains("init_mixture_proportions: has 2 values for 1 datasets"), message);
    }

    @Test
    void inapplicableKeysLoadWithOneNoticePerReason() {
        TrainArgs args = load(dir, MINIMAL + """
                bf16: true
                fp16: false
                deepspeed: examples/deepspeed/ds_z3_config.json
                ddp_timeout: 180000000
                report_to: none
                use_swanlab: true
                swanlab_project: demo
                """);

        assertEquals(List.of(
                "bf16 has no effect on this engine: this engine trains in float32 (libtorch); "
                        + "mixed-precision flags have no effect",
                "deepspeed, ddp_timeout have no effect on this engine: data parallelism comes from Spark "
                        + "executors, not torch.distributed or DeepSpeed",
                "use_swanlab, swanlab_project have no effect on this engine: experiment trackers are not "
                        + "integrated; metrics are written to <output_dir>/metrics.jsonl"), args.notices());
        assertFalse(args.asResolvedMap().containsKey("bf16"), "inapplicable keys are not part of the run");
    }

    @Test
    void refusedFeaturesGiveTheirReason() {
        ConfigException error = fail(dir, MINIMAL + """
                val_size: 0.1
                train_on_prompt: true
                adapter_name_or_path: saves/adapter
                load_best_model_at_end: true
                metric_for_best_model: accuracy
                early_stopping_steps: 3
                quantization_bit: 4
                streaming: true
                """);

        String message = error.getMessage();
        assertEquals(8, error.problems().size(), message);
        assertTrue(message.contains("val_size: 0.1 cannot be honoured by this build: carving a validation split"),
                message);
        assertTrue(message.contains("train_on_prompt: boolean true cannot be honoured by this build"), message);
        assertTrue(message.contains("adapter_name_or_path: `saves/adapter` cannot be honoured by this build: "
                + "loading existing LoRA adapters is not supported yet"), message);
        assertTrue(message.contains("load_best_model_at_end: boolean true cannot be honoured"), message);
        assertTrue(message.contains("metric_for_best_model: `accuracy` cannot be honoured by this build: "
                + "only eval_loss"), message);
        assertTrue(message.contains("early_stopping_steps: 3 cannot be honoured by this build: early stopping"),
                message);
        assertTrue(message.contains("quantization_bit: 4 cannot be honoured"), message);
        assertTrue(message.contains("streaming: true cannot be honoured by this build: streaming datasets"), message);
    }

    @Test
    void refusedKeysLoadWhenTheirValueLeavesTheFeatureOff() {
        TrainArgs args = load(dir, MINIMAL + """
                val_size: 0
                train_on_prompt: false
                load_best_model_at_end: false
                metric_for_best_model: eval_loss
                greater_is_better: false
                adapter_name_or_path: null
                """);
        assertTrue(args.notices().isEmpty());
    }

    @Test
    void packingFollowsTheStageAndRefusesTheOtherChoice() {
        assertTrue(load(dir, MINIMAL + "stage: pt\n").packing());
        assertTrue(load(dir, MINIMAL + "stage: pt\npacking: true\n").packing());
        ConfigException error = fail(dir, MINIMAL + "stage: pt\npacking: false\n");
        assertTrue(error.getMessage().contains("packing: false cannot be honoured by this build with stage pt"),
                error.getMessage());
    }

    @Test
    void staticFullIsAnAliasOfStatic() {
        assertEquals("static", load(dir, MINIMAL + "train_type: static_full\n").trainType());
    }

    @Test
    void dynamicTrainTypesAreRefusedUntilTheirTrainerIsBuilt() {
        ConfigException error = fail(dir, MINIMAL + "train_type: dynamic_select\ncomponent_name: less\n");
        assertEquals(List.of("train.yaml:4: train_type: `dynamic_select` is not available in this build yet; "
                + "available now: static"), error.problems());
    }

    @Test
    void evalStepsAreKeptWhenGivenAndEvalNeedsADataset() {
        TrainArgs args = load(dir, MINIMAL + "eval_dataset: c4_demo,wiki_demo\neval_strategy: steps\neval_steps: 20\n");
        assertEquals(20, args.evalSteps());
        assertEquals(List.of("c4_demo", "wiki_demo"), args.evalDataset());

        ConfigException error = fail(dir, MINIMAL + "eval_strategy: epoch\n");
        assertTrue(error.getMessage().contains("eval_strategy: epoch needs eval_dataset"), error.getMessage());
    }

    @Test
    void resumeFromCheckpointAcceptsTrueOrAPath() {
        assertEquals("true", load(dir, MINIMAL + "resume_from_checkpoint: true\n").resumeFromCheckpoint());
        assertNull(load(dir, MINIMAL + "resume_from_checkpoint: false\n").resumeFromCheckpoint());
        assertEquals("out/run/checkpoints/step_20",
                load(dir, MINIMAL, "resume_from_checkpoint=out/run/checkpoints/step_20").resumeFromCheckpoint());
    }

    @Test
    void nullMeansTheDefault() {
        TrainArgs args = load(dir, MINIMAL + "template:\nlora_alpha: null\nmax_samples: ~\n");
        assertEquals("default", args.template());
        assertEquals(16, args.loraAlpha());
        assertNull(args.maxSamples());
    }

    @Test
    void sparkKeysPassThroughFromFileNestedYamlAndOverrides() {
        TrainArgs args = load(dir, MINIMAL + """
                spark.executor.memory: 2g
                spark:
                  sql.shuffle.partitions: 4
                """, "spark.master=local[2]");

        assertEquals(Map.of("spark.executor.memory", "2g", "spark.sql.shuffle.partitions", "4",
                "spark.master", "local[2]"), args.sparkConf());
    }

    @Test
    void credentialLikeSparkSettingsStayOutOfTheResolvedMap() {
        TrainArgs args = load(dir, MINIMAL + "spark.hadoop.fs.s3a.secret.key: hunter2\nspark.executor.cores: 2\n");
        assertEquals("hunter2", args.sparkConf().get("spark.hadoop.fs.s3a.secret.key"));
        assertFalse(args.asResolvedMap().containsKey("spark.hadoop.fs.s3a.secret.key"));
        assertFalse(args.toString().contains("hunter2"));
        assertEquals("2", args.asResolvedMap().get("spark.executor.cores"));
    }

    @Test
    void switchedOffInapplicableKeysStaySilent() {
        TrainArgs args = load(dir, MINIMAL + "bf16: false\nreport_to: [none]\ngradient_checkpointing: false\n"
                + "trust_remote_code: false\nuse_swanlab: false\n");
        assertEquals(List.of(), args.notices());
    }

    @Test
    void malformedOverridesAndDuplicateKeysAreProblems() {
        ConfigException error = fail(dir, MINIMAL + "seed: 1\nseed: 2\n", "learning_rate");
        String message = error.getMessage();
        assertTrue(message.contains("train.yaml:5: seed: duplicate key (first set at line 4)"), message);
        assertTrue(message.contains("command line argument `learning_rate`: expected key=value"), message);
    }

    @Test
    void missingFileAndUnsupportedExtensionAreClear() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> TestConfigs.loader(dir).loadConfig("nope.yaml", List.of()));
        assertTrue(missing.getMessage().contains("config file not found: " + dir.resolve("nope.yaml")),
                missing.getMessage());

        TestConfigs.write(dir, "train.toml", "x = 1");
        ConfigException unsupported = assertThrows(ConfigException.class,
                () -> TestConfigs.loader(dir).loadConfig("train.toml", List.of()));
        assertTrue(unsupported.getMessage().contains("use .yaml/.yml, .conf (HOCON) or .json"),
                unsupported.getMessage());
    }

    @Test
    void invalidYamlIsReportedWithTheFile() {
        ConfigException error = fail(dir, "dataset: [unclosed\n");
        assertTrue(error.getMessage().contains("configuration train.yaml:"), error.getMessage());
        assertTrue(error.getMessage().contains("not valid YAML"), error.getMessage());
    }

    @Test
    void modelDirectoriesNeedConfigAndWeightsAndProvideTheTokenizer() {
        TestConfigs.write(dir, "models/tiny/config.json", "{}");
        TestConfigs.write(dir, "models/tiny/tokenizer_config.json", "{}");
        String yaml = "model_name_or_path: models/tiny\ndataset: wiki_demo\noutput_dir: out\n";

        ConfigException noWeights = fail(dir, yaml);
        assertTrue(noWeights.getMessage().contains("has no model.safetensors (set train_from_scratch: true"),
                noWeights.getMessage());

        TrainArgs fromScratch = load(dir, yaml + "train_from_scratch: true\n");
        assertEquals("models/tiny", fromScratch.tokenizer(), "tokenizer files beside the model are used");

        TestConfigs.write(dir, "models/tiny/model.safetensors", "");
        assertEquals("models/tiny", load(dir, yaml).tokenizer());
        assertEquals("gpt2", load(dir, yaml + "tokenizer: gpt2\n").tokenizer());
        assertEquals("r50k_base", load(dir, yaml + "tokenizer: r50k_base\n").tokenizer());
    }

    @Test
    void hubModelIdsAndMissingTokenizerDirectoriesAreRefused() {
        ConfigException error = fail(dir, MINIMAL + "tokenizer: tokenizers/missing\n",
                "model_name_or_path=meta-llama/Llama-3.1-8B");
        String message = error.getMessage();
        assertTrue(message.contains("model_name_or_path: `meta-llama/Llama-3.1-8B` is neither `preset:<name>` nor "
                + "a local directory"), message);
        assertTrue(message.contains("tokenizer: expected `gpt2` or a tokenizer directory with tokenizer_config.json; "
                + "there is none in " + dir.resolve("tokenizers/missing")), message);
    }

    @Test
    void resolvedMapUsesLlamaFactoryNamesAndLoadsBackIntoEqualArguments() {
        TrainArgs original = load(dir, MINIMAL.replace("dataset: wiki_demo", "dataset: wiki_demo,c4_demo") + """
                stage: pt
                learning_rate: 1.0e-4
                init_mixture_proportions: [0.3, 0.7]
                eval_dataset: c4_demo
                eval_strategy: steps
                spark.executor.cores: 2
                """);
        Map<String, Object> resolved = original.asResolvedMap();
        assertEquals("pt", resolved.get("stage"));
        assertEquals(1e-4, resolved.get("learning_rate"));
        assertEquals(16, resolved.get("lora_alpha"));
        assertEquals(true, resolved.get("packing"));
        assertEquals("2", resolved.get("spark.executor.cores"));
        for (KeyRule.Honoured rule : KeyCatalog.honouredRules()) {
            assertTrue(resolved.containsKey(rule.key()), rule.key());
        }

        TestConfigs.write(dir, "config.resolved.yaml", original.toResolvedYaml());
        TrainArgs reloaded = TestConfigs.loader(dir).loadConfig("config.resolved.yaml", List.of());
        assertEquals(original, reloaded);
        assertEquals(original.asResolvedMap(), reloaded.asResolvedMap());
    }

    @Test
    void argumentsSurviveJavaSerialization() throws IOException, ClassNotFoundException {
        TrainArgs original = load(dir, MINIMAL + "bf16: true\nspark.master: local[2]\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            TrainArgs copy = (TrainArgs) in.readObject();
            assertEquals(original, copy);
            assertEquals(original.sourcePath(), copy.sourcePath());
        }
    }

    @Test
    void resolvedViewsAreReadOnly() {
        TrainArgs args = load(dir, MINIMAL);
        assertThrows(UnsupportedOperationException.class, () -> args.dataset().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> args.asResolvedMap().put("seed", 1));
        assertThrows(UnsupportedOperationException.class, () -> args.sparkConf().put("spark.master", "x"));
    }
}
