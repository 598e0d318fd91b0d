package org.dataflex.driver.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.dataflex.driver.config.TrainArgs;
import org.dataflex.driver.eval.EvalReport;
import org.dataflex.driver.run.AtomicFiles;
import org.dataflex.driver.run.CheckpointManager;
import org.dataflex.driver.run.Json;
import org.dataflex.driver.run.RunDirectory;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Run-directory chores around training: overwrite and resume rules, resolved config, final exports. */
final class RunPreparation {
    private RunPreparation() {}

    /** Applies overwrite_output_dir / resume_from_checkpoint; returns the checkpoint to resume from, or null. */
    static Path prepare(RunDirectory run, TrainArgs args) {
        String resume = args.resumeFromCheckpoint();
        CheckpointManager checkpoints = new CheckpointManager(run, null);
        if (resume != null && !resume.isBlank() && !"false".equalsIgnoreCase(resume)) {
            if ("true".equalsIgnoreCase(resume)) {
                return checkpoints.latest().orElseThrow(() -> new IllegalArgumentException(
                        "resume_from_checkpoint: true but " + run.checkpoints() + " holds no complete checkpoint"));
            }
            Path dir = Path.of(resume).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("resume_from_checkpoint: " + resume + " does not exist");
            }
            CheckpointManager.trainerState(dir); // fails clearly when incomplete
            return dir;
        }
        if (run.hasPreviousRun()) {
            if (!args.overwriteOutputDir()) {
                throw new IllegalArgumentException("output_dir " + run.root() + " already holds a run; set "
                        + "overwrite_output_dir: true to replace it or resume_from_checkpoint: true to continue it");
            }
            run.clearPreviousRun();
        }
        run.create();
        return null;
    }

    static void checkResumable(Path checkpoint, Map<String, Object> saved, Map<String, Object> fingerprint) {
        @SuppressWarnings("unchecked")
        Map<String, Object> before = (Map<String, Object>) saved.get("schedule");
        if (before == null) return;
        StringBuilder diff = new StringBuilder();
        fingerprint.forEach((k, v) -> {
            Object old = before.get(k);
            if (old != null && !Objects.equals(String.valueOf(old), String.valueOf(v))) {
                diff.append("\n  ").append(k).append(": checkpoint ").append(old).append(", now ").append(v);
            }
        });
        if (diff.length() > 0) {
            throw new IllegalArgumentException("cannot resume from " + checkpoint
                    + ": the run's schedule changed since it was saved (a resumed run must continue the same"
                    + " schedule):" + diff);
        }
    }

    /**
     * config.resolved.yaml holds only configuration keys, so it can be trained again as it is; the numbers derived
     * from the data and the model go to run_info.json.
     */
    static void writeResolvedConfig(RunDirectory run, TrainArgs args, Map<String, Object> derived,
                                    ModelConfig model) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String header = "# Effective configuration of this run (" + args.sourcePath()
                + " plus command-line overrides and defaults)\n";
        AtomicFiles.writeString(run.resolvedConfig(), header + new Yaml(options).dump(args.asResolvedMap()));
        Map<String, Object> info = new LinkedHashMap<>(derived);
        info.put("model_parameters", model.parameterCount());
        info.put("n_layer", model.nLayer());
        info.put("n_embd", model.nEmbd());
        info.put("n_head", model.nHead());
        info.put("n_positions", model.nPositions());
        info.put("vocab_size", model.vocabSize());
        AtomicFiles.writeString(run.runInfo(), Json.pretty(info));
    }

    /** model/: the final weights in HF GPT-2 layout plus the tokenizer, loadable as model_name_or_path. */
    static void exportModel(RunDirectory run, ReplicaSpec spec, byte[] state, TrainArgs args) {
        Path staging = AtomicFiles.stagingDirectoryFor(run.model());
        try (TrainingReplica replica = TrainingReplica.fromBytes(spec, state)) {
            replica.exportModel(staging);
        }
        copyTokenizer(args.tokenizer(), staging);
        AtomicFiles.publishDirectory(staging, run.model());
    }

    private static void copyTokenizer(String tokenizer, Path modelDir) {
        Path dir = Path.of(tokenizer);
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        if (!Files.exists(modelDir.resolve(f.getFileName().toString()))) {
                            Files.copy(f, modelDir.resolve(f.getFileName().toString()));
                        }
                    }
                }
            } else {
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("tokenizer", tokenizer);
                AtomicFiles.writeString(modelDir.resolve("dataflex_tokenizer.json"), Json.pretty(ref));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the tokenizer into " + modelDir, e);
        }
    }

    static void writeEvalJson(RunDirectory run, long step, EvalReport report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("step", step);
        doc.putAll(report.metrics());
        doc.put("domains", report.domainLoss());
        AtomicFiles.writeString(run.evalJson(), Json.pretty(doc));
    }
}
