package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, shortened (30 steps of the nano preset instead of an epoch of micro): the same config
 * through the same CLI on local Spark must produce the promised run directory, a falling loss, and checkpoints that
 * {@code dataflex eval} scores exactly as training did.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickStartIT {
    @TempDir static Path tmp;

    static Path run() { return tmp.resolve("quickstart"); }

    @Test @Order(1)
    void quickStartConfigProducesTheRunDirectory() throws Exception {
        Cli.Result r = Cli.ok(Cli.train("conf/examples/static/pt.yaml", "output_dir=" + run(), Cli.tokenizer(),
                "model_name_or_path=preset:gpt-nano", "train_step=30", "per_device_train_batch_size=8",
                "logging_steps=5", "eval_steps=15", "save_steps=10", "save_total_limit=2", "learning_rate=3e-3"));
        assertTrue(r.out().contains("optimizer steps"), r.out());

        for (String f : List.of("config.resolved.yaml", "run_info.json", "metrics.jsonl", "eval.json",
                "model/config.json", "model/model.safetensors")) {
            assertTrue(Files.isRegularFile(run().resolve(f)), "missing " + f);
        }
        byte[] png = Files.readAllBytes(run().resolve("plots/loss.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "loss.png is not a PNG");

        // save_total_limit 2 keeps the last two of step 10, 20, 30
        assertFalse(Files.exists(run().resolve("checkpoints/step_10")));
        assertTrue(Files.isDirectory(run().resolve("checkpoints/step_20")));
        assertTrue(Files.isRegularFile(run().resolve("checkpoints/step_30/trainer_state.json")));

        List<Map<String, Object>> train = RunFiles.trainRecords(run());
        assertEquals(List.of(5.0, 10.0, 15.0, 20.0, 25.0, 30.0),
                train.stream().map(m -> RunFiles.num(m, "step")).toList());
        assertTrue(RunFiles.num(train.get(train.size() - 1), "loss") < RunFiles.num(train.get(0), "loss") - 0.5,
                "training loss must fall: " + train);
        for (Map<String, Object> m : train) {
            assertTrue(RunFiles.num(m, "learning_rate") > 0);
            assertTrue(RunFiles.num(m, "grad_norm") > 0);
        }

        List<Map<String, Object>> eval = RunFiles.evalRecords(run());
        assertEquals(List.of(15.0, 30.0), eval.stream().map(m -> RunFiles.num(m, "step")).toList());
        assertTrue(RunFiles.num(eval.get(1), "eval_loss") < RunFiles.num(eval.get(0), "eval_loss"),
                "held-out loss must fall: " + eval);
        for (String domain : List.of("books_eval", "speeches_eval", "technical_eval")) {
            assertTrue(eval.get(1).containsKey("eval_" + domain + "_loss"), "no per-domain loss for " + domain);
        }
        Map<String, Object> finalEval = RunFiles.json(run().resolve("eval.json"));
        assertEquals(RunFiles.num(eval.get(1), "eval_loss"), RunFiles.num(finalEval, "eval_loss"), 1e-12);

        String resolved = Files.readString(run().resolve("config.resolved.yaml"));
        assertTrue(resolved.contains("cutoff_len: 256"), resolved);
        assertTrue(resolved.contains("train_step: 30"), resolved);
    }

    @Test @Order(2)
    void evalCommandReproducesTheInTrainingEval() {
        Path out = tmp.resolve("eval-step30.json");
        Cli.Result r = Cli.ok("eval", "--checkpoint", run().resolve("checkpoints/step_30").toString(),
                "--dataset", "books_eval,speeches_eval,technical_eval", "--out", out.toString());
        assertTrue(r.out().contains("books_eval"), r.out());
        Map<String, Object> inTraining = RunFiles.json(run().resolve("eval.json"));
        Map<String, Object> standalone = RunFiles.json(out);
        assertEquals(RunFiles.num(inTraining, "eval_loss"), RunFiles.num(standalone, "eval_loss"), 1e-5);
        assertEquals(RunFiles.num(inTraining, "eval_books_eval_loss"),
                RunFiles.num(standalone, "eval_books_eval_loss"), 1e-5);
    }

    @Test @Order(3)
    void exportedModelEvaluatesLikeItsFinalCheckpoint() {
        Path out = tmp.resolve("eval-model.json");
        Cli.ok("eval", "--model", run().resolve("model").toString(), "--dataset", "books_eval", "--out",
                out.toString());
        Path ckpt = tmp.resolve("eval-ckpt-books.json");
        Cli.ok("eval", "--checkpoint", run().resolve("checkpoints/step_30").toString(), "--dataset", "books_eval",
                "--out", ckpt.toString());
        assertEquals(RunFiles.num(RunFiles.json(ckpt), "eval_loss"), RunFiles.num(RunFiles.json(out), "eval_loss"),
                1e-5);
    }

    @Test @Order(4)
    void anExistingRunIsNotOverwrittenByAccident() {
        Cli.Result r = Cli.run(Cli.train("conf/examples/static/pt.yaml", "output_dir=" + run(), Cli.tokenizer(),
                "model_name_or_path=preset:gpt-nano", "train_step=2"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("overwrite_output_dir"), r.err());
    }
}
