package org.dataflex.datasets.tokenizer;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Trains a GPT-2 style byte-level BPE vocabulary: r50k pre-tokenization, 256 byte tokens, then greedy merges of
 * the most frequent adjacent pair. Word counting is a Spark job; the merge loop runs on the driver
 * ({@link BpeMerger}). The same texts give byte-identical files whatever the partitioning.
 */
public final class BpeTrainer {
    private BpeTrainer() {}

    /**
     * Trains a vocabulary of {@code vocabSize} ids (ordinary tokens + the {@link TokenizerFiles#SPECIAL_TOKENS})
     * and writes it to {@code outDir} atomically (a temporary sibling directory renamed into place; an existing
     * directory is replaced). If the texts run out of pairs to merge, the vocabulary comes out smaller.
     *
     * @return {@code outDir}
     */
    public static Path train(SparkSession spark, JavaRDD<String> texts, int vocabSize, Path outDir) {
        int specials = TokenizerFiles.SPECIAL_TOKENS.size();
        if (vocabSize < 256 + specials) {
            throw new IllegalArgumentException("vocabSize " + vocabSize + " is below the minimum " + (256 + specials)
                    + " (256 byte tokens + " + specials + " special tokens)");
        }
        List<Tuple2<String, Long>> wordCounts = countWords(texts);
        List<byte[]> words = new ArrayList<>(wordCounts.size());
        long[] counts = new long[wordCounts.size()];
        for (int i = 0; i < wordCounts.size(); i++) {
            words.add(wordCounts.get(i)._1().getBytes(StandardCharsets.UTF_8));
            counts[i] = wordCounts.get(i)._2();
        }
        List<byte[]> tokens = new BpeMerger(words, counts).run(vocabSize - specials);
        byte[] ranks = TokenizerFiles.renderRanks(tokens);
        byte[] config = TokenizerFiles.renderConfig("dataflex-bpe-" + (tokens.size() + specials), tokens.size());
        writeAtomically(outDir, ranks, config);
        return outDir;
    }

    /** Distinct pre-tokenized words with their counts, sorted by word so the order never depends on Spark. */
    static List<Tuple2<String, Long>> countWords(JavaRDD<String> texts) {
        JavaPairRDD<String, Long> counted = texts.mapPartitionsToPair(it -> {
            Pattern pattern = PreTokenizer.compile(PreTokenizer.R50K_PATTERN);
            List<Tuple2<String, Long>> out = new ArrayList<>();
            while (it.hasNext()) {
                String text = it.next();
                if (text == null) continue;
                for (String piece : PreTokenizer.split(pattern, text)) out.add(new Tuple2<>(piece, 1L));
            }
            return out.iterator();
        }).reduceByKey(Long::sum);
        List<Tuple2<String, Long>> result = new ArrayList<>(counted.collect());
        result.sort(Comparator.comparing(Tuple2::_1));
        return result;
    }

    private static void writeAtomically(Path outDir, byte[] ranks, byte[] config) {
        Path target = outDir.toAbsolutePath().normalize();
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            Files.write(tmp.resolve(TokenizerFiles.RANKS_FILE), ranks);
            Files.write(tmp.resolve(TokenizerFiles.CONFIG_FILE), config);
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) deleteRecursively(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer directory " + target, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
