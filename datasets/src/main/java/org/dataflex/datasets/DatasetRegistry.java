package org.dataflex.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LLaMA-Factory's {@code dataset_info.json}: dataset names mapped to local files (any Hadoop path), formatting,
 * columns and tags. Hub and script entries are listed but cannot be loaded: this project reads local copies only.
 */
public final class DatasetRegistry {
    public static final String INFO_FILE = "dataset_info.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HUB_KEYS = List.of("hf_hub_url", "ms_hub_url", "om_hub_url", "script_url");
    private static final Set<String> KNOWN_COLUMNS = Set.of("prompt", "query", "response", "history", "system",
            "messages", "tools", "images", "videos", "audios", "chosen", "rejected", "kto_tag");
    private static final Set<String> KNOWN_TAGS = Set.of("role_tag", "content_tag", "user_tag", "assistant_tag",
            "observation_tag", "function_tag", "system_tag");

    private final String datasetDir;
    private final Path infoPath;
    private final Map<String, DatasetEntry> entries;
    private final Configuration hadoopConf;

    private DatasetRegistry(String datasetDir, Path infoPath, Map<String, DatasetEntry> entries,
                            Configuration hadoopConf) {
        this.datasetDir = datasetDir;
        this.infoPath = infoPath;
        this.entries = entries;
        this.hadoopConf = hadoopConf;
    }

    /** Reads {@code <datasetDir>/dataset_info.json} (local path or any Hadoop URI). */
    public static DatasetRegistry load(String datasetDir) {
        return load(datasetDir, new Configuration());
    }

    /** As {@link #load(String)}, with the Hadoop configuration of a Spark session (credentials, default FS). */
    public static DatasetRegistry load(String datasetDir, Configuration hadoopConf) {
        if (datasetDir == null || datasetDir.isBlank()) {
            throw new IllegalArgumentException("dataset_dir is empty");
        }
        Path infoPath = new Path(datasetDir, INFO_FILE);
        String text = read(infoPath, hadoopConf);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(infoPath + ":" + e.getLocation().getLineNr() + ": invalid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DataFormatException(infoPath + ": expected a JSON object of dataset name -> entry");
        }
        Map<String, DatasetEntry> entries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            entries.put(e.getKey(), parseEntry(e.getKey(), e.getValue(), infoPath));
        }
        return new DatasetRegistry(datasetDir, infoPath, entries, hadoopConf);
    }

    public String datasetDir() { return datasetDir; }

    /** All dataset names, in file order. */
    public Set<String> names() { return entries.keySet(); }

    /**
     * The entry for {@code name} with its data files resolved.
     *
     * @throws IllegalArgumentException for unknown names (with close names), hub-only or script entries
     * @throws DataFormatException when the data file or directory does not exist
     */
    public DatasetEntry get(String name) {
        DatasetEntry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "' in " + infoPath
                    + NameSuggestions.hint(name, entries.keySet()));
        }
        if (entry.fileName() == null) {
            String where = entry.hubUrls().isEmpty() ? "it has no \"file_name\""
                    : "it is only on a hub " + entry.hubUrls();
            throw new IllegalArgumentException("dataset '" + name + "' in " + infoPath + " cannot be loaded: "
                    + where + ". DataFlex on Spark reads local (or HDFS/S3) copies only: download the data, put it "
                    + "under " + datasetDir + " and set \"file_name\" in the entry");
        }
        Path path = new Path(datasetDir, entry.fileName());
        return entry.withDataFiles(path.toString(), listDataFiles(name, path));
    }

    private List<String> listDataFiles(String name, Path path) {
        try {
            FileSystem fs = path.getFileSystem(hadoopConf);
            if (!fs.exists(path)) {
                throw new DataFormatException("dataset '" + name + "': data file " + path + " does not exist (\""
                        + "file_name\" in " + infoPath + ")");
            }
            FileStatus status = fs.getFileStatus(path);
            if (status.isFile()) {
                return List.of(status.getPath().toString());
            }
            List<String> files = new ArrayList<>();
            FileStatus[] children = fs.listStatus(path);
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus child : children) {
                String fileName = child.getPath().getName();
                if (child.isFile() && !fileName.startsWith(".") && !fileName.startsWith("_")) {
                    files.add(child.getPath().toString());
                }
            }
            if (files.isEmpty()) {
                throw new DataFormatException("dataset '" + name + "': directory " + path + " holds no data files");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("dataset '" + name + "': cannot list " + path, e);
        }
    }

    private static DatasetEntry parseEntry(String name, JsonNode node, Path infoPath) {
        String where = infoPath + ": dataset '" + name + "'";
        if (!node.isObject()) {
            throw new DataFormatException(where + ": entry must be a JSON object");
        }
        String fileName = optionalText(node, "file_name", where);
        String formattingText = optionalText(node, "formatting", where);
        DatasetEntry.Formatting formatting;
        if (formattingText == null || formattingText.equalsIgnoreCase("alpaca")) {
            formatting = DatasetEntry.Formatting.ALPACA;
        } else if (formattingText.equalsIgnoreCase("sharegpt")) {
            formatting = DatasetEntry.Formatting.SHAREGPT;
        } else {
            throw new DataFormatException(where + ": \"formatting\" must be alpaca or sharegpt, not '"
                    + formattingText + "'");
        }
        Map<String, String> hubUrls = new LinkedHashMap<>();
        for (String key : HUB_KEYS) {
            String v = optionalText(node, key, where);
            if (v != null) hubUrls.put(key, v);
        }
        return new DatasetEntry(name, fileName, formatting,
                stringMap(node, "columns", KNOWN_COLUMNS, where), stringMap(node, "tags", KNOWN_TAGS, where),
                hubUrls, node.path("ranking").asBoolean(false), null, null);
    }

    private static Map<String, String> stringMap(JsonNode node, String key, Set<String> known, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode obj = node.get(key);
        if (obj == null || obj.isNull()) return out;
        if (!obj.isObject()) throw new DataFormatException(where + ": \"" + key + "\" must be an object");
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!known.contains(e.getKey())) {
                throw new DataFormatException(where + ": unknown " + key + " key '" + e.getKey() + "'"
                        + NameSuggestions.hint(e.getKey().toLowerCase(Locale.ROOT), known));
            }
            if (!e.getValue().isTextual()) {
                throw new DataFormatException(where + ": " + key + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String optionalText(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new DataFormatException(where + ": \"" + key + "\" must be a string");
        return v.asText();
    }

    private static String read(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new DataFormatException("dataset registry " + path + " does not exist (check dataset_dir)");
            }
            try (InputStream in = fs.open(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
