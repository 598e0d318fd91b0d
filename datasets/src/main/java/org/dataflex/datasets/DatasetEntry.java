package org.dataflex.datasets;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of LLaMA-Factory's {@code dataset_info.json}, with LLaMA-Factory's column and tag defaults.
 * {@link #dataFiles()} is filled in by {@link DatasetRegistry#get(String)} once the local files are found.
 */
public final class DatasetEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How rows are laid out. */
    public enum Formatting { ALPACA, SHAREGPT }

    private static final Map<String, String> ALPACA_COLUMNS = Map.of(
            "prompt", "instruction", "query", "input", "response", "output");
    private static final Map<String, String> SHAREGPT_COLUMNS = Map.of("messages", "conversations");
    private static final Map<String, String> DEFAULT_TAGS = Map.of(
            "role_tag", "from", "content_tag", "value", "user_tag", "human", "assistant_tag", "gpt",
            "observation_tag", "observation", "function_tag", "function_call", "system_tag", "system");

    private final String name;
    private final String fileName;
    private final Formatting formatting;
    private final Map<String, String> columns;
    private final Map<String, String> tags;
    private final Map<String, String> hubUrls;
    private final boolean ranking;
    private final String dataPath;
    private final List<String> dataFiles;

    DatasetEntry(String name, String fileName, Formatting formatting, Map<String, String> columns,
                 Map<String, String> tags, Map<String, String> hubUrls, boolean ranking, String dataPath,
                 List<String> dataFiles) {
        this.name = name;
        this.fileName = fileName;
        this.formatting = formatting;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        this.hubUrls = Collections.unmodifiableMap(new LinkedHashMap<>(hubUrls));
        this.ranking = ranking;
        this.dataPath = dataPath;
        this.dataFiles = dataFiles == null ? List.of() : List.copyOf(dataFiles);
    }

    DatasetEntry withDataFiles(String resolvedPath, List<String> files) {
        return new DatasetEntry(name, fileName, formatting, columns, tags, hubUrls, ranking, resolvedPath, files);
    }

    public String name() { return name; }

    /** {@code file_name} as written in dataset_info.json (relative to the dataset directory), or null. */
    public String fileName() { return fileName; }

    public Formatting formatting() { return formatting; }

    /** Columns as configured (without defaults). */
    public Map<String, String> columns() { return columns; }

    public Map<String, String> tags() { return tags; }

    /** {@code hf_hub_url}, {@code ms_hub_url}, {@code om_hub_url}, {@code script_url} entries that were present. */
    public Map<String, String> hubUrls() { return hubUrls; }

    /** True for preference (pairwise) datasets, which pt/sft cannot use. */
    public boolean ranking() { return ranking; }

    /** The resolved file or directory path (after {@link DatasetRegistry#get}). */
    public String dataPath() { return dataPath; }

    /** The data files in reading order (after {@link DatasetRegistry#get}). */
    public List<String> dataFiles() { return dataFiles; }

    /** The source column for a logical column such as {@code prompt} or {@code messages}, or null if none. */
    public String column(String logical) {
        String configured = columns.get(logical);
        if (configured != null) return configured;
        return (formatting == Formatting.ALPACA ? ALPACA_COLUMNS : SHAREGPT_COLUMNS).get(logical);
    }

    /** A ShareGPT tag such as {@code role_tag}, with LLaMA-Factory's default. */
    public String tag(String key) {
        String configured = tags.get(key);
        return configured != null ? configured : DEFAULT_TAGS.get(key);
    }

    @Override public String toString() {
        return "DatasetEntry{" + name + ", " + formatting.name().toLowerCase() + ", " + dataPath + "}";
    }
}
