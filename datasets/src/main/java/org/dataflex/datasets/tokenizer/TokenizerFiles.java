package org.dataflex.datasets.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-disk layout of a trained vocabulary (see datasets/README.md):
 * {@value #RANKS_FILE} (tiktoken format: base64 token bytes, a space, the rank) and {@value #CONFIG_FILE}.
 */
public final class TokenizerFiles {
    public static final String RANKS_FILE = "ranks.tiktoken";
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String FORMAT = "dataflex-byte-level-bpe";

    public static final String EOS = "<|endoftext|>";
    public static final String PAD = "<|pad|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    /** Special tokens of our vocabularies, in id order right after the ordinary ranks. */
    public static final List<String> SPECIAL_TOKENS = List.of(EOS, PAD, IM_START, IM_END);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerFiles() {}

    /** Renders the rank file for ordinary tokens given in rank order. */
    public static byte[] renderRanks(List<byte[]> tokensInRankOrder) {
        StringBuilder sb = new StringBuilder(tokensInRankOrder.size() * 12);
        Base64.Encoder b64 = Base64.getEncoder();
        for (int rank = 0; rank < tokensInRankOrder.size(); rank++) {
            sb.append(b64.encodeToString(tokensInRankOrder.get(rank))).append(' ').append(rank).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Renders tokenizer_config.json for a vocabulary with {@code ordinaryTokens} ranks and our specials. */
    public static byte[] renderConfig(String name, int ordinaryTokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", name);
        root.put("pattern", PreTokenizer.R50K_PATTERN);
        root.put("ranks_file", RANKS_FILE);
        root.put("ordinary_tokens", ordinaryTokens);
        root.put("vocab_size", ordinaryTokens + SPECIAL_TOKENS.size());
        ObjectNode specials = root.putObject("special_tokens");
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            specials.put(SPECIAL_TOKENS.get(i), ordinaryTokens + i);
        }
        root.put("eos_token", EOS);
        root.put("pad_token", PAD);
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render tokenizer config", e);
        }
    }

    /** Loads a tokenizer directory from any Hadoop path (plain local paths included). */
    public static TiktokenTokenizer load(String dir) {
        Path root = new Path(dir);
        Configuration conf = new Configuration();
        Path configPath = new Path(root, CONFIG_FILE);
        byte[] configBytes = readAll(conf, configPath,
                "tokenizer '" + dir + "' is neither gpt2/r50k_base nor a tokenizer directory");
        JsonNode config;
        try {
            config = JSON.readTree(configBytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(configPath + ": invalid JSON: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(config.path("format").asText())) {
            throw new IllegalArgumentException(configPath + ": \"format\" must be \"" + FORMAT + "\"");
        }
        String pattern = requiredText(config, "pattern", configPath);
        Path ranksPath = new Path(root, config.path("ranks_file").asText(RANKS_FILE));
        byte[] ranksFile = readAll(conf, ranksPath, "tokenizer directory " + dir + " has no rank file");
        int ordinary = parseRanks(ranksFile, ranksPath.toString()).size();

        JsonNode specialsNode = config.path("special_tokens");
        if (!specialsNode.isObject()) {
            throw new IllegalArgumentException(configPath + ": \"special_tokens\" must be an object of token -> id");
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = specialsNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt(-1);
            if (!e.getValue().isInt() || id < ordinary || specials.containsValue(id)) {
                throw new IllegalArgumentException(configPath + ": special token " + e.getKey() + " has id "
                        + e.getValue() + "; special ids must be distinct integers >= " + ordinary
                        + " (after the ordinary ranks)");
            }
            specials.put(e.getKey(), id);
        }
        int vocabSize = config.path("vocab_size").asInt(ordinary + specials.size());
        int maxId = specials.values().stream().mapToInt(Integer::intValue).max().orElse(ordinary - 1);
        if (vocabSize <= maxId) {
            throw new IllegalArgumentException(configPath + ": vocab_size " + vocabSize + " does not cover id " + maxId);
        }
        int eos = specialId(specials, requiredText(config, "eos_token", configPath), "eos_token", configPath);
        String padToken = config.path("pad_token").asText(null);
        int pad = padToken == null ? eos : specialId(specials, padToken, "pad_token", configPath);
        String name = config.path("name").asText(root.getName());
        return TiktokenTokenizer.custom(name + " (" + dir + ")", ranksFile, pattern, vocabSize, specials, eos, pad);
    }

    /** Parses a tiktoken rank file; ranks must be 0..n-1 and include all 256 single bytes. */
    static Map<byte[], Integer> parseRanks(byte[] file, String source) {
        String text = new String(file, StandardCharsets.US_ASCII);
        Map<byte[], Integer> ranks = new HashMap<>();
        Base64.Decoder b64 = Base64.getDecoder();
        boolean[] seen = new boolean[0];
        boolean[] singleBytes = new boolean[256];
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] parts = line.trim().split(" ");
            int rank;
            byte[] token;
            try {
                if (parts.length != 2) throw new IllegalArgumentException("expected '<base64> <rank>'");
                token = b64.decode(parts[0]);
                rank = Integer.parseInt(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": malformed rank line: " + e.getMessage());
            }
            if (rank < 0 || token.length == 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": invalid rank or empty token");
            }
            if (rank >= seen.length) seen = java.util.Arrays.copyOf(seen, Math.max(rank + 1, seen.length * 2));
            if (seen[rank]) throw new IllegalArgumentException(source + ":" + lineNo + ": duplicate rank " + rank);
            seen[rank] = true;
            if (token.length == 1) singleBytes[token[0] & 0xff] = true;
            ranks.put(token, rank);
        }
        for (int r = 0; r < ranks.size(); r++) {
            if (r >= seen.length || !seen[r]) {
                throw new IllegalArgumentException(source + ": ranks must be 0.." + (ranks.size() - 1)
                        + " without gaps; rank " + r + " is missing");
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!singleBytes[b]) {
                throw new IllegalArgumentException(source + ": byte-level vocabulary lacks the single byte " + b);
            }
        }
        return ranks;
    }

    private static int specialId(Map<String, Integer> specials, String token, String key, Path configPath) {
        Integer id = specials.get(token);
        if (id == null) {
            throw new IllegalArgumentException(configPath + ": " + key + " " + token + " is not in special_tokens");
        }
        return id;
    }

    private static String requiredText(JsonNode node, String key, Path source) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(source + ": missing string field \"" + key + "\"");
        }
        return v.asText();
    }

    private static byte[] readAll(Configuration conf, Path path, String whatIfMissing) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new IllegalArgumentException(whatIfMissing + ": " + path + " does not exist");
            }
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
