package org.dataflex.driver.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.dataflex.datasets.DataRequest;
import org.dataflex.datasets.TrainingData;
import org.dataflex.datasets.tokenizer.BpeTrainer;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.datasets.tokenizer.Tokenizers;
import org.dataflex.driver.spark.SparkSessions;

/** {@code dataflex tokenizer train --dataset NAMES --vocab-size N --out DIR [--dataset-dir DIR] [--stage pt|sft]}. */
final class TokenizerCommand {
    private TokenizerCommand() {}

    static int run(List<String> argv, PrintStream out) {
        List<String> args = new ArrayList<>(argv);
        if (args.isEmpty() || !args.remove(0).equals("train")) {
            throw new UsageException("usage: dataflex tokenizer train --dataset NAMES --vocab-size N --out DIR"
                    + " [--dataset-dir DIR] [--stage pt|sft]");
        }
        String datasets = required(args, "--dataset");
        String vocab = required(args, "--vocab-size");
        String outDir = required(args, "--out");
        String datasetDir = orDefault(DataflexCli.option(args, "--dataset-dir"), "data");
        String stage = orDefault(DataflexCli.option(args, "--stage"), "pt");
        if (!args.isEmpty()) throw new UsageException("unexpected arguments: " + args);
        int vocabSize;
        try {
            vocabSize = Integer.parseInt(vocab);
        } catch (NumberFormatException e) {
            throw new UsageException("--vocab-size must be an integer, got " + vocab);
        }
        if (vocabSize < 260) throw new UsageException("--vocab-size must be at least 260 (256 bytes + specials)");

        SparkSession spark = SparkSessions.getOrCreate("dataflex tokenizer train", Map.of());
        DataRequest request = new DataRequest(Arrays.asList(datasets.split(",")), datasetDir, stage, null, 2, null,
                false, 0);
        long start = System.nanoTime();
        JavaRDD<String> texts = TrainingData.texts(spark, request);
        Path written = BpeTrainer.train(spark, texts, vocabSize, Path.of(outDir));
        TextTokenizer tokenizer = Tokenizers.load(written.toString());
        out.printf(Locale.ROOT, "wrote %s: %,d tokens (%s) in %.1f s%n", written, tokenizer.vocabSize(),
                String.join(", ", tokenizer.specialTokens().keySet()), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static String required(List<String> args, String name) {
        String v = DataflexCli.option(args, name);
        if (v == null) throw new UsageException("tokenizer train needs " + name);
        return v;
    }

    private static String orDefault(String v, String d) { return v == null ? d : v; }
}
