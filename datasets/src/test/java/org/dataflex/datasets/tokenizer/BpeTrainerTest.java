package org.dataflex.datasets.tokenizer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.dataflex.datasets.SparkTestSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTrainerTest {
    private static SparkSession spark;
    private static List<String> corpus;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = SparkTestSession.start("BpeTrainerTest");
        corpus = syntheticCorpus(new Random(7), 600);
    }

    @AfterAll
    static void stopSpark() {
        SparkTestSession.stop(spark);
    }

    @Test
    void sameOutputForAnyPartitioningAndRun() throws Exception {
        Path one = BpeTrainer.train(spark, texts(1), 600, tmp.resolve("one"));
        Path four = BpeTrainer.train(spark, texts(4), 600, tmp.resolve("four"));
        Path again = BpeTrainer.train(spark, texts(4), 600, tmp.resolve("four"));
        assertEquals(four, again);
        for (String file : List.of(TokenizerFiles.RANKS_FILE, TokenizerFiles.CONFIG_FILE)) {
            assertArrayEquals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(four.resolve(file)), file);
        }
        assertEquals(596, Files.readAllLines(one.resolve(TokenizerFiles.RANKS_FILE)).size());
        try (var stream = Files.list(tmp)) {
            assertEquals(2, stream.count(), "no temporary or backup directories left behind");
        }
    }

    @Test
    void trainedTokenizerRoundTripsCompressesAndHasDocumentedSpecials() throws Exception {
        Path dir = BpeTrainer.train(spark, texts(2), 600, tmp.resolve("tok"));
        TextTokenizer tok = Tokenizers.load(dir.toString());
        assertEquals(600, tok.vocabSize());
        assertEquals(596, tok.eosId());
        assertEquals(597, tok.padId());
        assertEquals(596, tok.specialTokenId("<|endoftext|>").getAsInt());
        assertEquals(598, tok.specialTokenId("<|im_start|>").getAsInt());
        assertEquals(599, tok.specialTokenId("<|im_end|>").getAsInt());

        List<String> samples = List.of("the quick brown fox", "Grüße aus Köln — 東京 😀🎉 done",
                "   leading and   trailing whitespace runs \t\t\n\n  ", "tabs\tand\r\nnewlines\n",
                "special <|im_end|> and <|endoftext|> strings stay text", "", "1234567890 3.14159");
        for (String s : samples) {
            int[] ids = tok.encode(s);
            assertEquals(s, tok.decode(ids), "round trip of " + s);
            assertTrue(Arrays.stream(ids).allMatch(id -> id < 596), "no special ids from plain text: " + s);
        }
        String text = String.join(" ", corpus.subList(0, 50));
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(tok.encode(text).length < bytes * 0.6, "merges compress the training text");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(tok);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TextTokenizer copy = (TextTokenizer) in.readObject();
            assertArrayEquals(tok.encode(text), copy.encode(text));
        }
    }

    @Test
    void mergesMostFrequentPairsFirst() throws Exception {
        JavaRDD<String> texts = SparkTestSession.context(spark).parallelize(List.of("ab ab ab ab cd"), 1);
        Path dir = BpeTrainer.train(spark, texts, 256 + 4 + 2, tmp.resolve("small"));
        List<String> ranks = Files.readAllLines(dir.resolve(TokenizerFiles.RANKS_FILE));
        // pieces "ab", " ab" x3, " cd": (a,b) occurs 4 times, then (' ', ab) 3 times
        assertEquals(b64("ab") + " 256", ranks.get(256));
        assertEquals(b64(" ab") + " 257", ranks.get(257));
        assertEquals(262, Tokenizers.load(dir.toString()).vocabSize());
    }

    @Test
    void rejectsTooSmallVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(spark, texts(1), 200, tmp.resolve("x")));
    }

    @Test
    void rejectsCorruptRankFile() throws Exception {
        Path dir = BpeTrainer.train(spark, texts(1), 300, tmp.resolve("corrupt"));
        Files.writeString(dir.resolve(TokenizerFiles.RANKS_FILE), "QQ== 0\nnot-a-line\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tokenizers.load(dir.toString()));
        assertTrue(e.getMessage().contains(TokenizerFiles.RANKS_FILE + ":2"), e.getMessage());
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private JavaRDD<String> texts(int partitions) {
        return SparkTestSession.context(spark).parallelize(corpus, partitions);
    }

    /** Zipf-like word use so merges have structure, plus some non-ASCII text. */
    static List<String> syntheticCorpus(Random rnd, int lines) {
        String[] syllables = {"ka", "to", "ri", "mun", "sel", "da", "ta", "mo", "del", "über", "naï", "ve", "日本",
                "語", "😀", "x", "qu", "ing", "tion", "spar"};
        String[] vocab = new String[400];
        for (int v = 0; v < vocab.length; v++) {
            StringBuilder word = new StringBuilder();
            for (int s = 0, n = 1 + rnd.nextInt(4); s < n; s++) word.append(syllables[rnd.nextInt(syllables.length)]);
            vocab[v] = word.toString();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            StringBuilder sb = new StringBuilder();
            int words = 5 + rnd.nextInt(15);
            for (int w = 0; w < words; w++) {
                int idx = (int) Math.min(vocab.length - 1, Math.floor(-Math.log(1 - rnd.nextDouble()) * 60));
                if (w > 0) sb.append(rnd.nextInt(10) == 0 ? ", " : " ");
                sb.append(vocab[idx]);
            }
            sb.append(rnd.nextBoolean() ? "." : "!\n");
            out.add(sb.toString());
        }
        return out;
    }
}
