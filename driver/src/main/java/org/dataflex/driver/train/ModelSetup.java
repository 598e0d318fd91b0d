package org.dataflex.driver.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.datasets.tokenizer.Tokenizers;
import org.dataflex.driver.config.TrainArgs;
import org.dataflex.driver.run.Json;
import org.dataflex.executors.lora.LoraSpec;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.train.ReplicaSpec;

/** Turns the model / method / train sections of a config into a tokenizer and a replica specification. */
public final class ModelSetup {
    public static final String PRESET_PREFIX = "preset:";

    private ModelSetup() {}

    public static TextTokenizer tokenizer(TrainArgs args) {
        return loadTokenizer(args.tokenizer());
    }

    /**
     * A tokenizer name ({@code gpt2}), a tokenizer directory, or a model directory exported by a run, which holds
     * either the tokenizer files or a {@code dataflex_tokenizer.json} naming a built-in tokenizer.
     */
    public static TextTokenizer loadTokenizer(String spec) {
        Path reference = Path.of(spec).resolve("dataflex_tokenizer.json");
        if (Files.isRegularFile(reference)) {
            return Tokenizers.load(String.valueOf(Json.readMap(reference).get("tokenizer")));
        }
        return Tokenizers.load(spec);
    }

    /** The architecture: a named preset sized to the tokenizer, or the {@code config.json} of a model directory. */
    public static ModelConfig modelConfig(TrainArgs args, TextTokenizer tokenizer) {
        String source = args.modelNameOrPath();
        ModelConfig config;
        if (source.startsWith(PRESET_PREFIX)) {
            config = ModelConfig.preset(source.substring(PRESET_PREFIX.length()), tokenizer.vocabSize());
        } else {
            Path dir = Path.of(source);
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new IllegalArgumentException("model_name_or_path: " + source + " is neither a preset ("
                        + PRESET_PREFIX + "gpt-micro, ...) nor a directory with config.json; models cannot be"
                        + " downloaded from a hub here");
            }
            config = ModelConfig.readHfConfig(dir.resolve("config.json"));
        }
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new IllegalArgumentException("tokenizer " + tokenizer.name() + " has " + tokenizer.vocabSize()
                    + " tokens but model_name_or_path " + source + " has only " + config.vocabSize()
                    + " embedding rows");
        }
        if (args.cutoffLen() > config.nPositions()) {
            throw new IllegalArgumentException("cutoff_len " + args.cutoffLen() + " exceeds the model's "
                    + config.nPositions() + " positions (model_name_or_path " + source + ")");
        }
        return config;
    }

    /** Where initial weights come from: null for a fresh seeded initialisation. */
    public static String initFrom(TrainArgs args) {
        String source = args.modelNameOrPath();
        if (source.startsWith(PRESET_PREFIX) || args.trainFromScratch()) return null;
        return Path.of(source).toAbsolutePath().toString();
    }

    public static ReplicaSpec replicaSpec(TrainArgs args, ModelConfig model, int maxSteps) {
        int warmup = args.warmupSteps() > 0 ? args.warmupSteps()
                : (int) Math.ceil(args.warmupRatio() * maxSteps);
        OptimizerSpec optimizer = new OptimizerSpec(args.learningRate(), args.weightDecay(), args.adamBeta1(),
                args.adamBeta2(), args.adamEpsilon(), args.maxGradNorm(), args.lrSchedulerType(), warmup, maxSteps);
        LoraSpec lora = "lora".equals(args.finetuningType())
                ? new LoraSpec(args.loraRank(), args.loraAlpha(), args.loraDropout(), List.copyOf(args.loraTarget()))
                : null;
        return new ReplicaSpec(model, initFrom(args), optimizer, lora, args.seed());
    }
}
