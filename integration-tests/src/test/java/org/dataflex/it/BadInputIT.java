package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the CLI: one clear message naming the file, line or key, exit code 2, nothing half-written. */
class BadInputIT {
    @TempDir Path tmp;
    Path data;

    @BeforeEach
    void writeDataset() throws Exception {
        data = tmp.resolve("data");
        Files.createDirectories(data);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"text\": \"Document number ").append(i)
                    .append(" talks about rivers, mountains and the weather of the northern valleys.\"}\n");
            if (i == 16) lines.append("{\"text\": \"a line cut short\n");
        }
        Files.writeString(data.resolve("notes.jsonl"), lines.toString());
        Files.writeString(data.resolve("dataset_info.json"),
                "{\"notes\": {\"file_name\": \"notes.jsonl\", \"columns\": {\"prompt\": \"text\"}},"
                        + " \"gone\": {\"file_name\": \"missing.jsonl\", \"columns\": {\"prompt\": \"text\"}}}");
    }

    private String[] run(String... overrides) {
        List<String> argv = new java.util.ArrayList<>(List.of(Cli.train("conf/examples/static/pt.yaml",
                "output_dir=" + tmp.resolve("out"), Cli.tokenizer(), "model_name_or_path=preset:gpt-nano",
                "cutoff_len=16", "train_step=2", "per_device_train_batch_size=2", "eval_strategy=no",
                "train_type=static")));
        argv.add("dataset_dir=" + data);
        argv.addAll(List.of(overrides));
        return argv.toArray(String[]::new);
    }

    @Test
    void malformedJsonLineIsNamedByFileAndLine() {
        Cli.Result r = Cli.run(run("dataset=notes"));
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("notes.jsonl:18"), r.err());
        assertFalse(Files.exists(tmp.resolve("out/checkpoints")), "nothing may be trained on bad data");
    }

    @Test
    void badRowsCanBeSkippedAndCounted() {
        Cli.Result r = Cli.ok(run("dataset=notes", "skip_bad_rows=true"));
        assertTrue(r.out().contains("skipped 1 bad row"), r.out());
        assertTrue(Files.isDirectory(tmp.resolve("out/checkpoints/step_2")));
    }

    @Test
    void missingDataFileIsNamed() {
        Cli.Result r = Cli.run(run("dataset=gone"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("missing.jsonl"), r.err());
    }

    @Test
    void unknownDatasetAndUnknownKeyGetSuggestions() {
        Cli.Result r = Cli.run(run("dataset=note"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("notes"), r.err());
        r = Cli.run(run("dataset=notes", "learning_rat=1e-3"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("learning_rat") && r.err().contains("learning_rate"), r.err());
    }

    @Test
    void missingConfigFileIsAUserError() {
        Cli.Result r = Cli.run("train", tmp.resolve("nope.yaml").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("nope.yaml"), r.err());
    }
}
