package org.dataflex.datasets;

import org.apache.spark.api.java.JavaRDD;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@link TrainingData#load}: examples in a fixed order (datasets in request order, rows or blocks in
 * file order), persisted with MEMORY_AND_DISK until {@link #unpersist()}.
 */
public final class LoadedData {
    private final JavaRDD<Example> examples;
    private final long skippedRows;
    private final Map<String, Long> countsByDataset;

    LoadedData(JavaRDD<Example> examples, long skippedRows, Map<String, Long> countsByDataset) {
        this.examples = examples;
        this.skippedRows = skippedRows;
        this.countsByDataset = Collections.unmodifiableMap(new LinkedHashMap<>(countsByDataset));
    }

    public JavaRDD<Example> examples() { return examples; }

    /** Rows skipped as bad (only with skipBadRows). */
    public long skippedRows() { return skippedRows; }

    /** Examples per dataset (blocks for pt), in request order. */
    public Map<String, Long> countsByDataset() { return countsByDataset; }

    public long totalExamples() {
        return countsByDataset.values().stream().mapToLong(Long::longValue).sum();
    }

    public void unpersist() {
        examples.unpersist(false);
    }
}
