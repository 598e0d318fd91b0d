package org.dataflex.driver.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.dataflex.algorithms.schedule.StaticSchedule;
import org.dataflex.datasets.Example;
import org.dataflex.datasets.LoadedData;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.driver.config.TrainArgs;
import org.dataflex.driver.eval.DomainEvaluator;
import org.dataflex.driver.eval.EvalReport;
import org.dataflex.driver.exec.FaultInjection;
import org.dataflex.driver.exec.ResidentReplicas;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.StepRecord;
import org.dataflex.driver.run.CheckpointManager;
import org.dataflex.driver.run.LossPlot;
import org.dataflex.driver.run.MetricsLog;
import org.dataflex.driver.run.ProgressBar;
import org.dataflex.driver.run.RunDirectory;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OuterOptimizer;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;

/**
 * The training loop shared by every train_type, run as Spark rounds. A round is one Spark job whose single task
 * holds the run's resident replica and performs the optimizer steps up to the next log, eval, save, decision or end
 * boundary. Model state travels to the executor only at the start (and after a lost replica) and comes back only
 * when the driver needs it (eval, checkpoint, a decision, end). What differs between trainers (step count, data
 * feed, decisions) is the {@link DataSchedule}.
 */
public final class Trainer {
    /** Builds the trainer-specific schedule once the training set is known. */
    @FunctionalInterface
    public interface ScheduleFactory {
        DataSchedule create(TrainArgs args, long numExamples, RunDirectory run, PrintStream console);
    }

    /** Fault injection for tests: drop resident replicas after every round, so every round must replay. */
    public static final String EVICT_AFTER_ROUND = "spark.dataflex.test.evictReplicasAfterRound";
    /** Fault injection for tests: the driver dies right after finishing this step's round and bookkeeping. */
    public static final String CRASH_AFTER_STEP = "spark.dataflex.test.crashAfterStep";
    private static final int MAX_ROUND_STEPS = 50;

    private final TrainArgs args;
    private final SparkSession spark;
    private final PrintStream console;
    private final String runId = UUID.randomUUID().toString();

    public Trainer(TrainArgs args, SparkSession spark, PrintStream console) {
        this.args = args;
        this.spark = spark;
        this.console = console;
    }

    /** {@code train_type: static}: full passes over the data. */
    public static DataSchedule staticSchedule(TrainArgs args, long n, RunDirectory run, PrintStream console) {
        return new EpochDataSchedule(StaticSchedule.plan(n, args.perDeviceTrainBatchSize(),
                args.gradientAccumulationSteps(), args.numTrainEpochs(), args.maxSteps(), args.trainStep()),
                args.seed());
    }

    /** {@code train_type: dynamic_select}: the Flex schedule with a selector in the loop. */
    public static DataSchedule selectSchedule(TrainArgs args, long n, RunDirectory run, PrintStream console) {
        return SelectDataSchedule.create(args, n, run, console);
    }

    public TrainingSummary train(ScheduleFactory scheduleFactory) {
        RunDirectory run = RunDirectory.at(args.outputDir());
        Path resumeFrom = RunPreparation.prepare(run, args);
        TextTokenizer tokenizer = ModelSetup.tokenizer(args);
        ModelConfig modelConfig = ModelSetup.modelConfig(args, tokenizer);

        LoadedData train = DataSetup.load(spark, args, args.dataset(), tokenizer);
        JavaPairRDD<Example, Long> indexed = train.examples().zipWithIndex().persist(StorageLevel.MEMORY_ONLY());
        long n = indexed.count();
        train.unpersist(); // the numbered copy is the one rounds read
        DataSchedule schedule = scheduleFactory.create(args, n, run, console);
        ReplicaSpec spec = ModelSetup.replicaSpec(args, modelConfig, schedule.maxSteps());
        DomainEvaluator evaluator = evaluator(tokenizer);

        Map<String, Object> fingerprint = fingerprint(schedule, n);
        PoolScorer scorer = new PoolScorer(indexed, n, args.perDeviceEvalBatchSize());
        RunPreparation.writeResolvedConfig(run, args, fingerprint, modelConfig);
        console.printf(Locale.ROOT, "[dataflex] %,d training examples (%s), %d optimizer steps of %d samples, "
                        + "model %s (%,d parameters)%n", n, String.join(",", args.dataset()), schedule.maxSteps(),
                schedule.totalBatchSize(), args.modelNameOrPath(), modelConfig.parameterCount());
        if (train.skippedRows() > 0) {
            console.printf("[dataflex] skipped %d bad rows (skip_bad_rows: true)%n", train.skippedRows());
        }

        long startStep;
        byte[] state;
        List<byte[]> peerStates = null;
        Map<String, byte[]> localSgdFiles = Map.of();
        MetricsLog metrics;
        if (resumeFrom != null) {
            Map<String, Object> saved = CheckpointManager.trainerState(resumeFrom);
            RunPreparation.checkResumable(resumeFrom, saved, fingerprint);
            if (Boolean.TRUE.equals(saved.get(CheckpointManager.MODEL_ONLY))) {
                throw new IllegalArgumentException("resume_from_checkpoint: " + resumeFrom + " was saved with "
                        + "save_only_model: true and holds no optimizer state to resume from");
            }
            startStep = CheckpointManager.stepOf(resumeFrom);
            try (TrainingReplica replica = TrainingReplica.loadCheckpoint(spec, resumeFrom)) {
                state = replica.toBytes();
            }
            if (isLocalSgd()) {
                localSgdFiles = CheckpointManager.readFiles(resumeFrom, localSgdFileNames());
                peerStates = LocalSgdRounds.savedPeers(localSgdFiles, args.numReplicas(), resumeFrom);
            }
            metrics = MetricsLog.rewind(run.metrics(), startStep);
            console.printf("[dataflex] resuming from %s (step %d)%n", resumeFrom, startStep);
            schedule.start(startStep);
        } else {
            startStep = 0;
            try (TrainingReplica replica = TrainingReplica.create(spec)) {
                state = replica.toBytes();
            }
            metrics = MetricsLog.create(run.metrics());
            schedule.start(0);
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CheckpointManager checkpoints = new CheckpointManager(run, args.saveTotalLimit());
        FaultInjection faults = faultInjection();
        RoundRunner rounds = new RoundRunner(jsc, indexed, spec, runId, schedule.batches(), state, peerStates,
                startStep, console, replicaRounds(localSgdFiles), faults);
        ProgressBar progress = ProgressBar.onStderr((int) startStep, schedule.maxSteps());
        // fault-injection knobs come from the run's config, not the (possibly shared) SparkContext
        boolean evictAfterRound = Boolean.parseBoolean(args.sparkConf().getOrDefault(EVICT_AFTER_ROUND, "false"));
        long crashAfterStep = Long.parseLong(args.sparkConf().getOrDefault(CRASH_AFTER_STEP, "-1"));
        LogWindow window = new LogWindow();
        long tokensSeen = 0;
        double trainSeconds = 0;
        long trainTokens = 0;
        EvalReport lastEval = null;
        long step = startStep;
        try {
            while (step < schedule.maxSteps()) {
                long end = nextBoundary(step, schedule);
                boolean needState = isEval(end, schedule.maxSteps(), evaluator) || isSave(end)
                        || end == schedule.maxSteps() || schedule.decidesAfter(end);
                long t0 = System.nanoTime();
                RoundResult result = rounds.run(step, end, needState);
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (evictAfterRound) ResidentReplicas.evict(runId);
                trainSeconds += seconds;
                long roundTokens = 0;
                for (StepRecord r : result.steps()) {
                    checkFinite(r);
                    roundTokens += r.inputTokens();
                    window.add(r);
                }
                window.addSeconds(seconds);
                window.addComputeSeconds(result.computeSeconds());
                trainTokens += roundTokens;
                tokensSeen += roundTokens;
                step = end;
                StepRecord last = result.steps().get(result.steps().size() - 1);
                progress.update((int) step, window.meanLoss(), last.learningRate(), roundTokens / seconds);
                if (step % args.loggingSteps() == 0 || step == schedule.maxSteps()) {
                    metrics.append(window.record(step, schedule.epochProgress(step), tokensSeen));
                    window = new LogWindow();
                }
                if (isEval(step, schedule.maxSteps(), evaluator)) {
                    lastEval = evaluator.evaluate(runId, rounds.stateVersion(), spec, rounds.broadcast());
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("step", step);
                    record.put("epoch", schedule.epochProgress(step));
                    record.putAll(lastEval.metrics());
                    metrics.append(record);
                    console.printf(Locale.ROOT, "%n[dataflex] step %d eval_loss %.4f (perplexity %.1f)%n", step,
                            lastEval.loss(), lastEval.perplexity());
                }
                if (isSave(step) || step == schedule.maxSteps()) {
                    checkpoints.save(step, spec, rounds.state(), rounds.checkpointFiles(),
                            trainerState(step, schedule, fingerprint),
                            args.saveOnlyModel());
                }
                if (args.plotLoss()) LossPlot.write(metrics.records(), run.lossPlot(), "loss: " + args.outputDir());
                if (schedule.decidesAfter(step)) {
                    long version = rounds.stateVersion();
                    long decisionStep = step;
                    schedule.decide(step, () -> scorer.losses(runId, version, spec, rounds.broadcast(),
                            decisionStep, faults));
                }
                if (crashAfterStep >= 0 && step >= crashAfterStep) {
                    throw new IllegalStateException("simulated driver crash after step " + step + " ("
                            + CRASH_AFTER_STEP + ")");
                }
            }
            // the final checkpoint was written by the last round, or is the one a finished run resumed from
            RunPreparation.exportModel(run, spec, rounds.state(), args);
            if (lastEval != null) RunPreparation.writeEvalJson(run, step, lastEval);
            LossPlot.write(metrics.records(), run.lossPlot(), "loss: " + args.outputDir());
        } finally {
            metrics.close();
            rounds.close();
            ResidentReplicas.evict(runId);
            indexed.unpersist(false);
        }
        double tps = trainSeconds > 0 ? trainTokens / trainSeconds : 0;
        console.printf(Locale.ROOT, "[dataflex] done: %d steps, %,d tokens in %.1f s (%,.0f tokens/s); outputs in %s%n",
                step - startStep, trainTokens, trainSeconds, tps, run.root());
        return new TrainingSummary(run.root(), step, trainTokens, trainSeconds, lastEval);
    }

    /** One replica, allreduce replicas or local SGD replicas (with the outer optimizer a resumed run saved). */
    private ReplicaRounds replicaRounds(Map<String, byte[]> savedLocalSgdFiles) {
        if ("allreduce".equals(args.syncMode())) return new AllReduceRounds(args.numReplicas());
        if (!isLocalSgd()) return new SingleReplicaRounds();
        byte[] savedOuter = savedLocalSgdFiles.get(LocalSgdRounds.OUTER_FILE);
        OuterOptimizer outer = savedOuter == null ? new OuterOptimizer(args.outerLr(), args.outerMomentum())
                : OuterOptimizer.fromBytes(savedOuter);
        return new LocalSgdRounds(args.numReplicas(), args.syncEvery(), outer);
    }

    private boolean isLocalSgd() {
        return "local_sgd".equals(args.syncMode());
    }

    /** The files a local_sgd checkpoint may hold, one more replica than configured to notice a mismatch. */
    private List<String> localSgdFileNames() {
        List<String> names = new ArrayList<>();
        for (int r = 1; r <= args.numReplicas(); r++) names.add(LocalSgdRounds.replicaFile(r));
        names.add(LocalSgdRounds.OUTER_FILE);
        return names;
    }

    private FaultInjection faultInjection() {
        Map<String, String> conf = args.sparkConf();
        return new FaultInjection(Long.parseLong(conf.getOrDefault(FaultInjection.KILL_TRAINING_AT_STEP, "-1")),
                Long.parseLong(conf.getOrDefault(FaultInjection.KILL_SCORING_AT_STEP, "-1")),
                conf.get(FaultInjection.KILL_MARKER));
    }

    private DomainEvaluator evaluator(TextTokenizer tokenizer) {
        if (args.evalDataset() == null || args.evalDataset().isEmpty() || "no".equals(args.evalStrategy())) {
            return null;
        }
        LoadedData eval = DataSetup.load(spark, args, args.evalDataset(), tokenizer);
        return new DomainEvaluator(eval.examples(), args.perDeviceEvalBatchSize()); // cached by the loader
    }

    private long nextBoundary(long step, DataSchedule schedule) {
        long end = Math.min(schedule.maxSteps(), step + Math.max(1, Math.min(args.loggingSteps(), MAX_ROUND_STEPS)));
        for (long s = step + 1; s < end; s++) {
            if (s % args.loggingSteps() == 0 || isSave(s) || (evalSteps() > 0 && s % evalSteps() == 0)
                    || schedule.decidesAfter(s)) {
                return s;
            }
        }
        return end;
    }

    private boolean isEval(long step, long maxSteps, DomainEvaluator evaluator) {
        if (evaluator == null) return false;
        return step == maxSteps || (evalSteps() > 0 && step % evalSteps() == 0);
    }

    private int evalSteps() {
        return args.evalSteps() != null ? args.evalSteps() : args.loggingSteps();
    }

    private boolean isSave(long step) {
        return args.saveSteps() > 0 && step % args.saveSteps() == 0;
    }

    private static void checkFinite(StepRecord r) {
        if (!Double.isFinite(r.loss())) {
            throw new IllegalStateException("non-finite training loss " + r.loss() + " at step " + r.step());
        }
    }

    private Map<String, Object> fingerprint(DataSchedule schedule, long n) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("train_type", schedule.trainType());
        f.put("num_examples", n);
        f.put("total_batch_size", schedule.totalBatchSize());
        f.put("per_device_train_batch_size", args.perDeviceTrainBatchSize());
        f.put("gradient_accumulation_steps", args.gradientAccumulationSteps());
        f.put("max_steps", schedule.maxSteps());
        f.put("seed", args.seed());
        f.put("dataset", String.join(",", args.dataset()));
        f.putAll(schedule.fingerprint());
        return f;
    }

    private static Map<String, Object> trainerState(long step, DataSchedule schedule, Map<String, Object> fp) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("global_step", step);
        s.put("epoch", schedule.epochProgress(step));
        s.put("train_type", schedule.trainType());
        s.put("schedule", fp);
        return s;
    }
}
