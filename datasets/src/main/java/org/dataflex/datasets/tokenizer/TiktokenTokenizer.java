package org.dataflex.datasets.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import com.knuddels.jtokkit.api.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TextTokenizer} backed by jtokkit: either GPT-2's r50k_base or a vocabulary from {@link BpeTrainer}.
 *
 * <p>Only the definition travels with the object (rank file bytes, pattern, special tokens); the jtokkit
 * {@link Encoding} is transient, rebuilt lazily on each JVM and cached there, so Spark tasks that deserialize
 * the tokenizer again and again pay for the rank table once per executor.
 */
public final class TiktokenTokenizer implements TextTokenizer {
    private static final long serialVersionUID = 1L;
    private static final String GPT2_NAME = "gpt2 (r50k_base)";
    private static final String EOT = "<|endoftext|>";
    private static final Map<String, Encoding> ENCODINGS_BY_KEY = new ConcurrentHashMap<>();

    private final String name;
    /** Null for GPT-2 (the rank table ships inside jtokkit); otherwise the tiktoken rank file. */
    private final byte[] ranksFile;
    private final String pattern;
    private final int vocabSize;
    private final Map<String, Integer> specialTokens;
    private final int eosId;
    private final int padId;
    private final String cacheKey;
    private transient volatile Encoding encoding;

    private TiktokenTokenizer(String name, byte[] ranksFile, String pattern, int vocabSize,
                              Map<String, Integer> specialTokens, int eosId, int padId) {
        this.name = name;
        this.ranksFile = ranksFile;
        this.pattern = pattern;
        this.vocabSize = vocabSize;
        this.specialTokens = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
        this.eosId = eosId;
        this.padId = padId;
        this.cacheKey = ranksFile == null ? "r50k_base" : "custom:" + sha256(ranksFile, pattern, specialTokens);
    }

    /** GPT-2's tokenizer exactly: 50,257 ids, {@code <|endoftext|>} = 50256 serving as eos and pad. */
    public static TiktokenTokenizer gpt2() {
        return new TiktokenTokenizer(GPT2_NAME, null, PreTokenizer.R50K_PATTERN, 50257, Map.of(EOT, 50256),
                50256, 50256);
    }

    /** A tokenizer over custom ranks (ordinary tokens 0..n-1 in the tiktoken rank file, specials after them). */
    public static TiktokenTokenizer custom(String name, byte[] ranksFile, String pattern, int vocabSize,
                                           Map<String, Integer> specialTokens, int eosId, int padId) {
        return new TiktokenTokenizer(name, ranksFile.clone(), pattern, vocabSize, specialTokens, eosId, padId);
    }

    @Override public String name() { return name; }

    @Override public int[] encode(String text) {
        return encoding().encodeOrdinary(text).toArray();
    }

    @Override public String decode(int[] ids) {
        IntArrayList list = new IntArrayList(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + name
                        + " (size " + vocabSize + ")");
            }
            list.add(id);
        }
        return encoding().decode(list);
    }

    @Override public int vocabSize() { return vocabSize; }
    @Override public int eosId() { return eosId; }
    @Override public int padId() { return padId; }

    @Override public OptionalInt specialTokenId(String token) {
        Integer id = specialTokens.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override public Map<String, Integer> specialTokens() { return specialTokens; }

    @Override public String toString() { return "TiktokenTokenizer{" + name + ", vocab " + vocabSize + "}"; }

    private Encoding encoding() {
        Encoding e = encoding;
        if (e == null) {
            e = ENCODINGS_BY_KEY.computeIfAbsent(cacheKey, k -> buildEncoding());
            encoding = e;
        }
        return e;
    }

    private Encoding buildEncoding() {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        if (ranksFile == null) {
            return registry.getEncoding(EncodingType.R50K_BASE);
        }
        Map<byte[], Integer> ranks = TokenizerFiles.parseRanks(ranksFile, name);
        GptBytePairEncodingParams params = new GptBytePairEncodingParams(cacheKey,
                PreTokenizer.compile(pattern), ranks, specialTokens);
        registry.registerGptBytePairEncoding(params);
        return registry.getEncoding(cacheKey).orElseThrow();
    }

    private static String sha256(byte[] ranks, String pattern, Map<String, Integer> specials) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ranks);
            md.update(pattern.getBytes(StandardCharsets.UTF_8));
            md.update(specials.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
