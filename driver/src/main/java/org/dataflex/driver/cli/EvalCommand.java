package org.dataflex.driver.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.dataflex.datasets.Example;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.driver.config.ConfigLoader;
import org.dataflex.driver.config.TrainArgs;
import org.dataflex.driver.eval.DomainEvaluator;
import org.dataflex.driver.eval.EvalReport;
import org.dataflex.driver.exec.ResidentReplicas;
import org.dataflex.driver.run.AtomicFiles;
import org.dataflex.driver.run.Json;
import org.dataflex.driver.spark.SparkSessions;
import org.dataflex.driver.train.DataSetup;
import org.dataflex.driver.train.ModelSetup;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;

/**
 * {@code dataflex eval}: loss and perplexity of a checkpoint or an exported model on datasets, per domain, as one
 * Spark job. The run's {@code config.resolved.yaml} supplies tokenizer, data format and model settings; flags and
 * key=value overrides change them.
 */
final class EvalCommand {
    private EvalCommand() {}

    static int run(List<String> argv, PrintStream out) {
        List<String> args = new ArrayList<>(argv);
        String checkpoint = DataflexCli.option(args, "--checkpoint");
        String model = DataflexCli.option(args, "--model");
        String config = DataflexCli.option(args, "--config");
        String dataset = DataflexCli.option(args, "--dataset");
        String outFile = DataflexCli.option(args, "--out");
        if ((checkpoint == null) == (model == null)) {
            throw new UsageException("eval needs exactly one of --checkpoint DIR or --model DIR\n" + DataflexCli.USAGE);
        }
        Path source = Path.of(checkpoint != null ? checkpoint : model).toAbsolutePath().normalize();
        if (!Files.isDirectory(source)) throw new UsageException(source + " does not exist");
        Path configFile = config != null ? Path.of(config) : runConfigOf(source, checkpoint != null);
        List<String> overrides = new ArrayList<>(args);
        if (model != null) {
            overrides.add("model_name_or_path=" + source);
            overrides.add("tokenizer=" + source);
            overrides.add("finetuning_type=full");
            overrides.add("train_from_scratch=false");
        }
        if (dataset != null) overrides.add("eval_dataset=" + dataset);
        overrides.add("eval_strategy=steps");
        TrainArgs cfg = ConfigLoader.forCurrentDirectory(BuiltComponents.capabilities())
                .loadConfig(configFile.toString(), overrides);
        if (cfg.evalDataset() == null || cfg.evalDataset().isEmpty()) {
            throw new UsageException("eval needs --dataset NAMES (the config names no eval_dataset)");
        }

        SparkSession spark = SparkSessions.getOrCreate("dataflex eval", cfg.sparkConf());
        TextTokenizer tokenizer = ModelSetup.tokenizer(cfg);
        ModelConfig modelConfig = ModelSetup.modelConfig(cfg, tokenizer);
        ReplicaSpec spec = ModelSetup.replicaSpec(cfg, modelConfig, 1);
        byte[] state;
        try (TrainingReplica replica = checkpoint != null ? TrainingReplica.loadCheckpoint(spec, source)
                : TrainingReplica.create(spec)) {
            state = replica.toBytes();
        }
        JavaRDD<Example> examples = DataSetup.load(spark, cfg, cfg.evalDataset(), tokenizer).examples();
        String runId = "eval-" + UUID.randomUUID();
        Broadcast<byte[]> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(state);
        EvalReport report;
        try {
            report = new DomainEvaluator(examples, cfg.perDeviceEvalBatchSize()).evaluate(runId, 1, spec, broadcast);
        } finally {
            ResidentReplicas.evict(runId);
            broadcast.destroy();
            examples.unpersist(false);
        }
        print(report, source, out);
        if (outFile != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("source", source.toString());
            doc.putAll(report.metrics());
            doc.put("domains", report.domainLoss());
            AtomicFiles.writeString(Path.of(outFile), Json.pretty(doc));
        }
        return 0;
    }

    /** The config.resolved.yaml of the run a checkpoint (run/checkpoints/step_N) or export (run/model) belongs to. */
    private static Path runConfigOf(Path source, boolean isCheckpoint) {
        Path runDir = isCheckpoint ? source.getParent() == null ? null : source.getParent().getParent()
                : source.getParent();
        Path resolved = runDir == null ? null : runDir.resolve("config.resolved.yaml");
        if (resolved == null || !Files.isRegularFile(resolved)) {
            throw new UsageException("cannot find the run's config.resolved.yaml next to " + source
                    + "; pass --config CONFIG");
        }
        return resolved;
    }

    private static void print(EvalReport report, Path source, PrintStream out) {
        out.println("eval of " + source);
        out.printf(Locale.ROOT, "%-24s %10s %12s %12s%n", "domain", "tokens", "loss", "perplexity");
        report.domainLoss().forEach((domain, loss) -> out.printf(Locale.ROOT, "%-24s %,10d %12.4f %12.2f%n",
                domain, report.domainTokens().get(domain), loss, Math.exp(loss)));
        out.printf(Locale.ROOT, "%-24s %,10d %12.4f %12.2f%n", "all", report.tokens(), report.loss(),
                report.perplexity());
    }
}
