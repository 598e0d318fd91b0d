package org.dataflex.driver.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir Path dir;

    @Test
    void recordsAreFlushedLineByLine() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.append(Map.of("step", 1, "loss", 2.5));
            assertEquals(List.of("{\"step\":1,\"loss\":2.5}"), Files.readAllLines(file).stream()
                    .map(l -> l.replace("\"loss\":2.5,\"step\":1", "\"step\":1,\"loss\":2.5")).toList());
        }
    }

    @Test
    void rewindKeepsRecordsUpToTheStepAndDropsATornLine() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":5,\"loss\":3.0}\n{\"step\":10,\"eval_loss\":2.0}\n"
                + "{\"step\":15,\"loss\":1.0}\n{\"step\":20,\"lo");
        try (MetricsLog log = MetricsLog.rewind(file, 10)) {
            assertEquals(2, log.records().size());
            log.append(Map.of("step", 15, "loss", 1.5));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).contains("1.5"));
    }

    @Test
    void createReplacesAnOldLog() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":1}\n");
        try (MetricsLog log = MetricsLog.create(file)) {
            assertTrue(log.records().isEmpty());
        }
        assertEquals("", Files.readString(file));
    }
}
