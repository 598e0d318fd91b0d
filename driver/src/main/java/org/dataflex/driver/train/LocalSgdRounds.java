package org.dataflex.driver.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.LocalSgdTask;
import org.dataflex.driver.exec.ReplicaReport;
import org.dataflex.driver.exec.ReplicaWork;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.StepRecord;
import org.dataflex.executors.optim.OuterOptimizer;
import scala.Tuple2;

/**
 * sync_mode local_sgd (DiLoCo when outer_momentum > 0): every step, replica r trains alone on the step's
 * micro-batches m with m mod K == r, with its own AdamW moments. At each sync point (every sync_every steps, and
 * whenever the driver needs the model: eval, checkpoint, selection, end) the replicas send their parameters, the
 * driver averages them and takes the outer step {@code θ ← θ − η·Nesterov(θ − mean)} (plain averaging with
 * η = 1, μ = 0), and the next job starts every replica from the new θ. One Spark job per sync period: parameters
 * travel once per sync_every steps instead of gradients every step.
 *
 * <p>The checkpointed state is every replica's state (their AdamW moments differ) plus the outer optimizer;
 * replays start from it, so a resumed or replayed run repeats the same trajectory.
 */
final class LocalSgdRounds implements ReplicaRounds {
    static final String OUTER_FILE = "outer_optimizer.bin";

    private final int replicas;
    private final int syncEvery;
    /** The outer optimizer as of the published state (replays restart from it). */
    private byte[] publishedOuter;
    private OuterOptimizer outer;
    /** θ after the last sync (null until a job reports it). */
    private float[] global;
    private float[] publishedGlobal;
    /** New global parameters not yet taken by the replicas (they take them at the start of the next job). */
    private float[] pending;

    LocalSgdRounds(int replicas, int syncEvery, OuterOptimizer outer) {
        this.replicas = replicas;
        this.syncEvery = syncEvery;
        this.outer = outer;
        this.publishedOuter = outer.toBytes();
    }

    /** The file name of replica r's state in a checkpoint (r >= 1; replica 0's is the checkpoint itself). */
    static String replicaFile(int r) {
        return "replica_" + r + "_state.safetensors";
    }

    @Override
    public RoundResult run(RoundRunner runner, long start, long from, long to, boolean returnState) {
        Map<Long, Tuple2<Example, Long>> rows = runner.examplesOf(start, to);
        List<StepRecord> records = new ArrayList<>();
        double computeSeconds = 0;
        long s = start;
        while (s < to || pending != null && returnState) {
            long end = Math.min(to, nextSync(s));
            boolean sync = end > s && (end % syncEvery == 0 || end == to && returnState);
            // returnState syncs at `to`, so the round then ends with a job that only takes the new parameters and
            // returns every replica's state
            boolean finish = end == s;
            List<ReplicaWork> works = new ArrayList<>();
            int[] stepMicroBatches = new int[(int) (end - s)];
            for (int r = 0; r < replicas; r++) works.add(runner.work(r, replicas, s + 1, end, rows));
            for (long t = s + 1; t <= end; t++) stepMicroBatches[(int) (t - s - 1)] = runner.microBatches(t).length;
            Broadcast<float[]> take = pending == null ? null : runner.roundBroadcast(pending);
            List<ReplicaReport> reports = runner.replicaJob(works, new LocalSgdTask(runner.runId(), runner.spec(),
                    runner.modelBroadcast(), s, take, stepMicroBatches, sync, global == null, finish,
                    runner.faults()));
            runner.release(take);
            pending = null;
            computeSeconds += AllReduceRounds.slowest(reports);
            if (global == null) global = reports.get(0).startParameters();
            for (int k = 0; k < end - s; k++) {
                StepRecord merged = merge(reports, k, works);
                if (merged.step() > from) records.add(merged);
            }
            if (sync) {
                List<float[]> params = new ArrayList<>();
                for (ReplicaReport report : reports) params.add(report.parameters());
                global = outer.step(global, OuterOptimizer.mean(params));
                pending = global;
            }
            if (finish) {
                List<byte[]> peers = new ArrayList<>();
                for (int r = 1; r < replicas; r++) peers.add(reports.get(r).state());
                runner.publish(reports.get(0).state(), peers, to);
                publishedOuter = outer.toBytes();
                publishedGlobal = global;
                return new RoundResult(records, computeSeconds, reports.get(0).state(), List.of());
            }
            s = end;
        }
        return new RoundResult(records, computeSeconds, null, List.of());
    }

    private long nextSync(long step) {
        return (step / syncEvery + 1) * syncEvery;
    }

    /**
     * The step's record over all replicas: the loss is the mean over every micro-batch of the step (each replica
     * reports the mean over its own), tokens add up, grad_norm is the mean pre-clipping norm of the replicas that
     * had micro-batches.
     */
    private static StepRecord merge(List<ReplicaReport> reports, int k, List<ReplicaWork> works) {
        double loss = 0;
        double norm = 0;
        long input = 0;
        long lossTokens = 0;
        int micro = 0;
        int training = 0;
        for (int r = 0; r < reports.size(); r++) {
            StepRecord rec = reports.get(r).steps().get(k);
            int n = works.get(r).positions()[k].length;
            if (n == 0) continue; // idle in the short last step of an epoch
            loss += rec.loss() * n;
            micro += n;
            norm += rec.gradNorm();
            training++;
            input += rec.inputTokens();
            lossTokens += rec.lossTokens();
        }
        StepRecord first = reports.get(0).steps().get(k);
        return new StepRecord(first.step(), loss / micro, first.learningRate(), norm / training, input,
                lossTokens);
    }

    @Override
    public void restartFromBroadcast() {
        outer = OuterOptimizer.fromBytes(publishedOuter);
        global = publishedGlobal;
        pending = null;
    }

    @Override
    public Map<String, byte[]> checkpointFiles(RoundRunner runner) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int r = 1; r < replicas; r++) files.put(replicaFile(r), runner.replicaState(r));
        files.put(OUTER_FILE, publishedOuter);
        return files;
    }

    /**
     * The other replicas' states saved with a local_sgd checkpoint, checked against {@code num_replicas}.
     * Throws naming the checkpoint when they are missing (saved with another sync_mode or replica count).
     */
    static List<byte[]> savedPeers(Map<String, byte[]> files, int replicas, Object checkpoint) {
        List<byte[]> peers = new ArrayList<>();
        for (int r = 1; r < replicas; r++) {
            byte[] state = files.get(replicaFile(r));
            if (state == null) throw notSavedWith(checkpoint, replicas, replicaFile(r));
            peers.add(state);
        }
        if (files.containsKey(replicaFile(replicas))) throw notSavedWith(checkpoint, replicas, null);
        if (!files.containsKey(OUTER_FILE)) throw notSavedWith(checkpoint, replicas, OUTER_FILE);
        return peers;
    }

    private static IllegalArgumentException notSavedWith(Object checkpoint, int replicas, String missing) {
        return new IllegalArgumentException("resume_from_checkpoint: " + checkpoint + " was not saved by a "
                + "sync_mode: local_sgd run with num_replicas: " + replicas
                + (missing == null ? " (it holds more replica states)" : " (no " + missing + ")")
                + "; resume with the settings it was saved with, or start a new run");
    }
}
