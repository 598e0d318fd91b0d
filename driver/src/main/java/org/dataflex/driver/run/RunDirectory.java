package org.dataflex.driver.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a run's {@code output_dir}: everything a user inspects after (or during) a run.
 * <pre>
 * config.resolved.yaml   every effective setting (trainable again as it is)
 * run_info.json          numbers derived from data and model (examples, steps, parameters)
 * metrics.jsonl          training and eval records
 * plots/loss.png         loss curves
 * checkpoints/step_N/    model, optimizer and trainer state (atomic)
 * selections/step_N.json the subsets chosen by dynamic selection
 * model/                 the final model in HF GPT-2 layout, with its tokenizer
 * eval.json              the final evaluation
 * </pre>
 */
public record RunDirectory(Path root) {

    public static RunDirectory at(String outputDir) {
        return new RunDirectory(Path.of(outputDir).toAbsolutePath().normalize());
    }

    public Path resolvedConfig() { return root.resolve("config.resolved.yaml"); }
    public Path runInfo() { return root.resolve("run_info.json"); }
    public Path metrics() { return root.resolve("metrics.jsonl"); }
    public Path lossPlot() { return root.resolve("plots").resolve("loss.png"); }
    public Path checkpoints() { return root.resolve("checkpoints"); }
    public Path checkpoint(long step) { return checkpoints().resolve("step_" + step); }
    public Path selections() { return root.resolve("selections"); }
    public Path model() { return root.resolve("model"); }
    public Path evalJson() { return root.resolve("eval.json"); }

    /** True when the directory already holds results of an earlier run. */
    public boolean hasPreviousRun() {
        return Files.exists(metrics()) || Files.isDirectory(checkpoints()) || Files.exists(model());
    }

    public void create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output_dir " + root, e);
        }
    }

    /** Removes the outputs of an earlier run (overwrite_output_dir: true). */
    public void clearPreviousRun() {
        for (Path p : new Path[] {metrics(), resolvedConfig(), runInfo(), evalJson(), root.resolve("plots"),
                checkpoints(), selections(), model()}) {
            if (Files.isDirectory(p)) AtomicFiles.deleteRecursively(p);
            else {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
