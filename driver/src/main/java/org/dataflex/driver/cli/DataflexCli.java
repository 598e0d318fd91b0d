package org.dataflex.driver.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.dataflex.datasets.DataFormatException;
import org.dataflex.driver.config.ConfigException;

/**
 * {@code scripts/dataflex}: train, eval, tokenizer train, version. User errors (bad config, bad data, missing files)
 * print one message and exit with 2; anything else is a bug and prints its stack trace (exit 1).
 */
public final class DataflexCli {
    static final String USAGE = String.join("\n",
            "usage: dataflex <command> [options]",
            "  train CONFIG [key=value ...]            train as the config says (YAML, HOCON or JSON)",
            "  eval --checkpoint DIR | --model DIR [--dataset NAMES] [--config CONFIG] [--out FILE] [key=value ...]",
            "                                          loss and perplexity per domain, as a Spark job",
            "  tokenizer train --dataset NAMES --vocab-size N --out DIR [--dataset-dir DIR]",
            "                                          train a byte-level BPE vocabulary",
            "  version                                 print versions");

    private DataflexCli() {}

    public static void main(String[] argv) {
        int code = run(argv, System.out, System.err);
        // stop Spark before exiting, so executors and shutdown hooks wind down quietly
        scala.Option<org.apache.spark.sql.SparkSession> session = org.apache.spark.sql.SparkSession.getDefaultSession();
        if (session.isDefined()) session.get().stop();
        System.exit(code);
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help") || argv[0].equals("help")) {
            out.println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            switch (argv[0]) {
                case "train": return TrainCommand.run(rest, out);
                case "eval": return EvalCommand.run(rest, out);
                case "tokenizer": return TokenizerCommand.run(rest, out);
                case "version": return VersionCommand.run(out);
                default: throw new UsageException("unknown command '" + argv[0] + "'\n" + USAGE);
            }
        } catch (Exception e) { // Spark throws its checked SparkException from Scala
            Throwable userError = userError(e);
            if (userError == null) throw e;
            err.println("dataflex: error: " + userError.getMessage());
            return 2;
        }
    }

    /**
     * The user's mistake behind an exception, if it is one: bad config, bad data, a missing file. Spark wraps
     * errors raised inside tasks, so the cause chain is searched.
     */
    static Throwable userError(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UsageException || c instanceof ConfigException || c instanceof DataFormatException
                    || c instanceof IllegalArgumentException || c instanceof java.io.UncheckedIOException
                    || c instanceof java.io.FileNotFoundException || c instanceof java.nio.file.NoSuchFileException) {
                return c;
            }
        }
        return null;
    }

    /** Value of {@code --name VALUE} in {@code args}, removing both; null when absent. */
    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) return null;
        if (i + 1 >= args.size()) throw new UsageException(name + " needs a value");
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }
}
