package org.dataflex.driver.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.dataflex.datasets.DataFormatException;
import org.junit.jupiter.api.Test;

class DataflexCliTest {
    private static int run(ByteArrayOutputStream err, String... argv) {
        return DataflexCli.run(argv, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandsAndMissingArgumentsAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "trian"));
        assertTrue(err.toString().contains("unknown command 'trian'"), err.toString());
        err.reset();
        assertEquals(2, run(err, "train"));
        assertTrue(err.toString().contains("needs a config file"), err.toString());
        err.reset();
        assertEquals(2, run(err, "eval", "--dataset", "x"));
        assertTrue(err.toString().contains("--checkpoint"), err.toString());
        err.reset();
        assertEquals(2, run(err, "tokenizer", "train", "--dataset", "books"));
        assertTrue(err.toString().contains("--vocab-size"), err.toString());
    }

    @Test
    void userErrorsRaisedInsideSparkTasksAreFoundThroughTheWrapper() {
        DataFormatException cause = new DataFormatException("data/x.jsonl:7: invalid JSON");
        SparkException wrapped = new SparkException("Job aborted due to stage failure", cause);
        assertSame(cause, DataflexCli.userError(new RuntimeException(wrapped)));
        assertNull(DataflexCli.userError(new IllegalStateException("a bug")));
    }

    @Test
    void optionsAreTakenOutOfTheArgumentList() {
        List<String> args = new ArrayList<>(List.of("--out", "f.json", "seed=3"));
        assertEquals("f.json", DataflexCli.option(args, "--out"));
        assertEquals(List.of("seed=3"), args);
        assertNull(DataflexCli.option(args, "--out"));
        assertThrows(UsageException.class, () -> DataflexCli.option(new ArrayList<>(List.of("--out")), "--out"));
    }
}
