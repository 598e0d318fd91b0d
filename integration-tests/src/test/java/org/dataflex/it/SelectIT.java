package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dataflex.driver.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped dynamic-selection examples, shrunk (nano model, short blocks, a slice of each domain): selections
 * land in selections/step_N.json with the sizes the Flex schedule promises, training proceeds and logs its loss,
 * and a run killed mid-schedule resumes onto the same result.
 */
class SelectIT {
    // Flex epoch = W + U*T = 2 + 3*2 = 8 steps; 2 epochs -> 16 steps; selections at 2, 5, 10, 13; re-warmup at 8
    private static final int BS = 4;
    private static final int GA = 2;
    @TempDir Path tmp;

    private static String[] run(String selector, Path out, String... extra) {
        List<String> argv = new ArrayList<>(List.of(Cli.train("conf/examples/select/" + selector + ".yaml",
                "output_dir=" + out, Cli.tokenizer(), "model_name_or_path=preset:gpt-nano", "cutoff_len=64",
                "max_samples=25", "per_device_train_batch_size=" + BS, "gradient_accumulation_steps=" + GA,
                "warmup_step=2", "update_step=3", "update_times=2", "num_train_epochs=2", "logging_steps=2",
                "save_steps=4", "eval_steps=8", "eval_dataset=books_eval", "per_device_eval_batch_size=8",
                "components_cfg_file=" + Cli.REPO.resolve("conf/components.yaml"))));
        argv.addAll(List.of(extra));
        return argv.toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> indices(Path run, int step) {
        Map<String, Object> doc = RunFiles.json(run.resolve("selections/step_" + step + ".json"));
        assertTrue(doc.containsKey("metric"), "schema {indices, metric}: " + doc.keySet());
        return (List<Integer>) doc.get("indices");
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "loss", "delta_loss"})
    void shippedExampleRunsAndWritesItsSelections(String selector) {
        Path out = tmp.resolve(selector);
        Cli.Result r = Cli.ok(run(selector, out));
        assertTrue(r.out().contains(selector + " selected 24 of"), r.out());

        Map<String, Object> info = RunFiles.json(out.resolve("run_info.json"));
        int n = ((Number) info.get("num_examples")).intValue();
        assertEquals(16, ((Number) info.get("max_steps")).intValue());
        for (int step : new int[] {2, 5, 10, 13}) {
            List<Integer> sel = indices(out, step);
            assertEquals(BS * GA * 3, sel.size(), "TB x update_step at step " + step);
            assertTrue(sel.stream().allMatch(i -> i >= 0 && i < n), "indices within the pool");
            assertEquals(sel.size(), new HashSet<>(sel).size(), "sampled without replacement");
        }
        assertFalse(Files.exists(out.resolve("selections/step_8.json")), "step 8 re-warms, it does not select");
        assertFalse(Files.exists(out.resolve("selections/step_16.json")), "no selection at max_steps");

        List<Map<String, Object>> train = RunFiles.trainRecords(out);
        assertEquals(8, train.size());
        assertTrue(train.stream().allMatch(m -> Double.isFinite(RunFiles.num(m, "loss"))));
        assertTrue(RunFiles.num(train.get(7), "loss") < RunFiles.num(train.get(0), "loss"),
                "training proceeds: " + train);
        if (!selector.equals("random")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> metric = (Map<String, Object>) RunFiles.json(
                    out.resolve("selections/step_5.json")).get("metric");
            assertFalse(metric.isEmpty(), "loss-based selectors report their metric");
        }
    }

    @Test
    void aCustomSelectorClassNamedInTheComponentsFileDrivesSelection() throws Exception {
        Path components = tmp.resolve("components.yaml");
        Files.writeString(components, String.join("\n",
                "selectors:",
                "  custom:",
                "    name: custom",
                "    params:",
                "      class_name: org.dataflex.algorithms.select.examples.EasiestFirstSelector",
                ""));
        Path out = tmp.resolve("custom");
        Cli.Result r = Cli.ok(run("random", out, "component_name=custom", "components_cfg_file=" + components));
        assertTrue(r.out().contains("custom selected 24 of"), r.out());
        Map<String, Object> doc = RunFiles.json(out.resolve("selections/step_5.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> metric = (Map<String, Object>) doc.get("metric");
        @SuppressWarnings("unchecked")
        List<Number> losses = (List<Number>) metric.get("loss");
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i - 1).doubleValue() <= losses.get(i).doubleValue(), "easiest first: " + losses);
        }
    }

    @Test
    void aKilledSelectionRunResumesOntoTheSameResult() {
        Path straight = tmp.resolve("straight");
        Cli.ok(run("delta_loss", straight));

        Path crashed = tmp.resolve("crashed");
        assertThrows(IllegalStateException.class,
                () -> Cli.run(run("delta_loss", crashed, Trainer.CRASH_AFTER_STEP + "=10")));
        assertTrue(Files.exists(crashed.resolve("checkpoints/step_8")));
        Set<String> before = Set.of(crashed.resolve("selections").toFile().list());
        assertTrue(before.contains("step_10.json"), "the selection after the checkpoint was made: " + before);

        Cli.Result resumed = Cli.ok(run("delta_loss", crashed, "resume_from_checkpoint=true"));
        assertTrue(resumed.out().contains("resuming from"), resumed.out());
        for (int step : new int[] {2, 5, 10, 13}) {
            assertEquals(indices(straight, step), indices(crashed, step), "selection at step " + step);
        }
        Weights.assertSameWeights(straight.resolve("checkpoints/step_16/model.safetensors"),
                crashed.resolve("checkpoints/step_16/model.safetensors"), 1e-6);
        Weights.assertSameTrainingMetrics(RunFiles.metrics(straight), RunFiles.metrics(crashed));
    }
}
