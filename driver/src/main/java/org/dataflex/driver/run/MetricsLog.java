package org.dataflex.driver.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line with at least {@code step}. Training records carry {@code loss},
 * eval records carry {@code eval_loss}. Each record is flushed as it is written, so a crash loses at most the line
 * being written; a resume rewinds the file to the checkpoint's step.
 */
public final class MetricsLog implements AutoCloseable {
    private final Path file;
    private final List<Map<String, Object>> records = new ArrayList<>();
    private BufferedWriter writer;

    private MetricsLog(Path file) {
        this.file = file;
    }

    /** Starts a new log, discarding any previous one. */
    public static MetricsLog create(Path file) {
        MetricsLog log = new MetricsLog(file);
        AtomicFiles.writeString(file, "");
        log.openForAppend();
        return log;
    }

    /** Keeps the records up to and including {@code step} (a resumed run continues from there). */
    public static MetricsLog rewind(Path file, long step) {
        MetricsLog log = new MetricsLog(file);
        if (Files.exists(file)) {
            StringBuilder kept = new StringBuilder();
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    Map<String, Object> record;
                    try {
                        record = Json.parseMap(line);
                    } catch (UncheckedIOException e) {
                        continue; // a line cut short by a crash: drop it
                    }
                    Object s = record.get("step");
                    if (s instanceof Number && ((Number) s).longValue() <= step) {
                        log.records.add(record);
                        kept.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            AtomicFiles.writeString(file, kept.toString());
        } else {
            AtomicFiles.writeString(file, "");
        }
        log.openForAppend();
        return log;
    }

    public synchronized void append(Map<String, Object> record) {
        Map<String, Object> copy = new LinkedHashMap<>(record);
        records.add(copy);
        try {
            writer.write(Json.line(copy));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    public synchronized List<Map<String, Object>> records() {
        return Collections.unmodifiableList(new ArrayList<>(records));
    }

    public Path file() { return file; }

    private void openForAppend() {
        try {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    @Override public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
