package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dataflex.driver.cli.DataflexCli;

/** Runs the CLI in-process from the repository root, capturing its output. */
final class Cli {
    static final Path REPO = Path.of(System.getProperty("dataflex.repo.root", "..")).toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DataflexCli.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and requires success, showing the output when it fails. */
    static Result ok(String... argv) {
        Result r = run(argv);
        assertEquals(0, r.exitCode(), () -> "dataflex " + String.join(" ", argv) + " failed:\n" + r.out() + r.err());
        return r;
    }

    /** {@code train CONFIG overrides...} with repository-relative config and data paths. */
    static String[] train(String config, String... overrides) {
        List<String> argv = new ArrayList<>();
        argv.add("train");
        argv.add(REPO.resolve(config).toString());
        argv.add("dataset_dir=" + REPO.resolve("data"));
        argv.addAll(List.of(overrides));
        return argv.toArray(String[]::new);
    }

    static String tokenizer() {
        return "tokenizer=" + REPO.resolve("data/tokenizers/demo-8k");
    }
}
