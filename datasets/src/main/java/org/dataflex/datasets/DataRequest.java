package org.dataflex.datasets;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What training data to build: LLaMA-Factory's {@code dataset}, {@code dataset_dir}, {@code stage},
 * {@code template}, {@code cutoff_len} and {@code max_samples}, plus how to treat bad rows and how many Spark
 * partitions the result should have (0 = Spark's default parallelism). Dataset names may be comma lists.
 */
public record DataRequest(List<String> datasets, String datasetDir, String stage, String template, int cutoffLen,
                          Integer maxSamples, boolean skipBadRows, int numPartitions) implements Serializable {
    public static final String STAGE_PT = "pt";
    public static final String STAGE_SFT = "sft";

    public DataRequest {
        if (datasets == null) throw new IllegalArgumentException("dataset: no dataset names given");
        List<String> names = new ArrayList<>();
        for (String item : datasets) {
            if (item == null) continue;
            for (String name : item.split(",")) {
                if (!name.isBlank()) names.add(name.trim());
            }
        }
        if (names.isEmpty()) throw new IllegalArgumentException("dataset: no dataset names given");
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("dataset: a name is listed twice in " + names
                    + " (example ids would collide)");
        }
        datasets = List.copyOf(names);
        datasetDir = datasetDir == null || datasetDir.isBlank() ? "data" : datasetDir;
        stage = stage == null ? STAGE_SFT : stage.trim().toLowerCase(Locale.ROOT);
        if (!stage.equals(STAGE_PT) && !stage.equals(STAGE_SFT)) {
            throw new IllegalArgumentException("stage must be pt or sft, got '" + stage + "'");
        }
        if (cutoffLen <= 0) throw new IllegalArgumentException("cutoff_len must be positive, got " + cutoffLen);
        if (maxSamples != null && maxSamples <= 0) {
            throw new IllegalArgumentException("max_samples must be positive when set, got " + maxSamples);
        }
        if (numPartitions < 0) throw new IllegalArgumentException("numPartitions must be >= 0, got " + numPartitions);
    }

    public boolean isPretraining() {
        return stage.equals(STAGE_PT);
    }
}
