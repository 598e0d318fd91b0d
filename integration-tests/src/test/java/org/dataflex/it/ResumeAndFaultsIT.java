package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dataflex.driver.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume and failure injection: a run whose driver dies after step N and is resumed must end with the same weights
 * and metrics as a run that went straight through; so must a run whose resident model is lost after every round.
 */
class ResumeAndFaultsIT {
    private static final int N = 6;
    @TempDir Path tmp;

    private static String[] nanoRun(Path out, String... extra) {
        List<String> argv = new ArrayList<>(List.of(Cli.train("conf/examples/static/pt.yaml", "output_dir=" + out,
                Cli.tokenizer(), "model_name_or_path=preset:gpt-nano", "train_step=" + 2 * N,
                "per_device_train_batch_size=4", "gradient_accumulation_steps=2", "cutoff_len=128",
                "logging_steps=2", "save_steps=" + N, "eval_steps=4", "eval_dataset=books_eval",
                "dataset=books,technical", "warmup_steps=2")));
        argv.addAll(List.of(extra));
        return argv.toArray(String[]::new);
    }

    @Test
    void aRunKilledAfterACheckpointResumesToTheSameResult() {
        Path straight = tmp.resolve("straight");
        Cli.ok(nanoRun(straight));

        Path crashed = tmp.resolve("crashed");
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> Cli.run(nanoRun(crashed, Trainer.CRASH_AFTER_STEP + "=" + (N + 1))));
        assertTrue(crash.getMessage().contains("simulated"), crash.getMessage());
        assertTrue(Files.isDirectory(crashed.resolve("checkpoints/step_" + N)));
        assertFalse(Files.exists(crashed.resolve("checkpoints/step_" + 2 * N)));

        Cli.Result resumed = Cli.ok(nanoRun(crashed, "resume_from_checkpoint=true"));
        assertTrue(resumed.out().contains("resuming from"), resumed.out());
        Weights.assertSameWeights(straight.resolve("checkpoints/step_" + 2 * N + "/model.safetensors"),
                crashed.resolve("checkpoints/step_" + 2 * N + "/model.safetensors"), 1e-6);
        // metrics are rewound to the checkpoint, so the step N+1 record written before the crash is not doubled
        Weights.assertSameTrainingMetrics(RunFiles.metrics(straight), RunFiles.metrics(crashed));
    }

    @Test
    void aResumeWithADifferentScheduleIsRefused() {
        Path run = tmp.resolve("run");
        assertThrows(IllegalStateException.class,
                () -> Cli.run(nanoRun(run, Trainer.CRASH_AFTER_STEP + "=" + N)));
        Cli.Result r = Cli.run(nanoRun(run, "resume_from_checkpoint=true", "train_step=" + 3 * N));
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("max_steps: checkpoint " + 2 * N + ", now " + 3 * N), r.err());
    }

    @Test
    void losingTheResidentModelEveryRoundChangesNothing() {
        Path normal = tmp.resolve("normal");
        Cli.ok(nanoRun(normal, "train_step=" + N));
        Path evicted = tmp.resolve("evicted");
        Cli.Result r = Cli.ok(nanoRun(evicted, "train_step=" + N, Trainer.EVICT_AFTER_ROUND + "=true"));
        assertTrue(r.out().contains("replaying"), "the fault must have been exercised: " + r.out());
        Weights.assertSameWeights(normal.resolve("checkpoints/step_" + N + "/model.safetensors"),
                evicted.resolve("checkpoints/step_" + N + "/model.safetensors"), 1e-6);
        Weights.assertSameTrainingMetrics(RunFiles.metrics(normal), RunFiles.metrics(evicted));
    }
}
