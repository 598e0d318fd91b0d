package org.dataflex.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a run directory's outputs for assertions. */
final class RunFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> metrics(Path run) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                if (!line.isBlank()) out.add(JSON.readValue(line, Map.class));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> trainRecords(Path run) {
        return metrics(run).stream().filter(r -> r.containsKey("loss")).toList();
    }

    static List<Map<String, Object>> evalRecords(Path run) {
        return metrics(run).stream().filter(r -> r.containsKey("eval_loss")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) {
        try {
            return JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double num(Map<String, Object> record, String key) {
        return ((Number) record.get(key)).doubleValue();
    }
}
