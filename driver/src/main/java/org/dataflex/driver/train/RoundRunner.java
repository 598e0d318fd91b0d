package org.dataflex.driver.train;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.FaultInjection;
import org.dataflex.driver.exec.ModelBroadcast;
import org.dataflex.driver.exec.ReplicaLostException;
import org.dataflex.driver.exec.ReplicaReport;
import org.dataflex.driver.exec.ReplicaWork;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.executors.train.ReplicaSpec;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Runs training rounds as Spark jobs and owns the broadcast model state: its bytes, its version and the step it
 * holds. How a round's steps map onto tasks is the {@link ReplicaRounds} of the run's sync_mode; a round that
 * finds a replica gone (or loses an executor) is replayed from the broadcast state.
 */
public final class RoundRunner implements AutoCloseable {
    /** A round is tried this often (the first run plus replays) before the run fails. */
    private static final int MAX_ATTEMPTS = 4;

    private final JavaSparkContext jsc;
    private final JavaPairRDD<Example, Long> indexed;
    private final ReplicaSpec spec;
    private final String runId;
    private final BatchPlan batches;
    private final PrintStream console;
    private final ReplicaRounds rounds;
    private final FaultInjection faults;
    private final List<Broadcast<?>> roundBroadcasts = new ArrayList<>();
    private ModelBroadcast broadcast;
    private List<String> locations = List.of();
    private byte[] state;
    private List<byte[]> peerStates;
    private long version;

    /**
     * @param peerStates the other replicas' states when they differ from {@code state} (local SGD resumed from a
     *                   checkpoint), else null
     */
    RoundRunner(JavaSparkContext jsc, JavaPairRDD<Example, Long> indexed, ReplicaSpec spec, String runId,
                BatchPlan batches, byte[] state, List<byte[]> peerStates, long stateStep, PrintStream console,
                ReplicaRounds rounds, FaultInjection faults) {
        this.jsc = jsc;
        this.rounds = rounds;
        this.faults = faults;
        this.indexed = indexed;
        this.spec = spec;
        this.runId = runId;
        this.batches = batches;
        this.console = console;
        publish(state, peerStates, stateStep);
    }

    /** Optimizer steps {@code from+1..to}; with {@code returnState} the state afterwards is broadcast anew. */
    public RoundResult run(long from, long to, boolean returnState) {
        long start = from;
        for (int attempt = 1; ; attempt++) {
            try {
                return rounds.run(this, start, from, to, returnState);
            } catch (Exception e) { // Spark throws its checked SparkException from Scala
                if (!ReplicaLostException.isCause(e) && !lostAnExecutor(e)) throw e;
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("round " + from + ".." + to + " failed " + attempt
                            + " times after losing its replicas", e);
                }
                console.printf("%n[dataflex] resident model lost before step %d (%s); replaying from step %d%n",
                        to, ReplicaLostException.isCause(e) ? "replica missing" : "executor lost", stateStep());
                rounds.restartFromBroadcast();
                start = stateStep();
            } finally {
                releaseRoundBroadcasts();
            }
        }
    }

    /**
     * An executor died under the round: the retried task finds no replica on its new executor, or Spark gives up
     * after a fetch failure. Both are answered by replaying from the broadcast state.
     */
    private static boolean lostAnExecutor(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("ExecutorLostFailure") || m.contains("ExecutorDeadException")
                    || m.contains("FetchFailed"))) {
                return true;
            }
        }
        return false;
    }

    // ---- services for the ReplicaRounds ------------------------------------------------------------------

    String runId() { return runId; }
    ReplicaSpec spec() { return spec; }
    FaultInjection faults() { return faults; }
    ModelBroadcast modelBroadcast() { return broadcast; }

    /** Dataset indices of step {@code s}'s micro-batches. */
    long[][] microBatches(long s) {
        return batches.microBatches(s);
    }

    /** The examples of steps {@code start+1..to}, gathered from the cached training set by one filter job. */
    Map<Long, Tuple2<Example, Long>> examplesOf(long start, long to) {
        Set<Long> wanted = new HashSet<>();
        for (long s = start + 1; s <= to; s++) {
            for (long[] micro : batches.microBatches(s)) for (long i : micro) wanted.add(i);
        }
        Map<Long, Tuple2<Example, Long>> rows = new HashMap<>();
        for (Tuple2<Example, Long> t : indexed.filter(t -> wanted.contains(t._2())).collect()) rows.put(t._2(), t);
        return rows;
    }

    /**
     * Replica r's share of steps {@code first..last}: the micro-batches m with m mod K == r, and their examples.
     */
    ReplicaWork work(int r, int replicas, long first, long last, Map<Long, Tuple2<Example, Long>> rows) {
        int n = (int) Math.max(0, last - first + 1);
        int[][] positions = new int[n][];
        long[][][] micro = new long[n][][];
        Set<Long> seen = new HashSet<>();
        ArrayList<Tuple2<Example, Long>> mine = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            long[][] step = batches.microBatches(first + k);
            List<Integer> owned = new ArrayList<>();
            for (int m = 0; m < step.length; m++) if (ReplicaWork.ownerOf(m, replicas) == r) owned.add(m);
            positions[k] = owned.stream().mapToInt(Integer::intValue).toArray();
            micro[k] = new long[positions[k].length][];
            for (int j = 0; j < positions[k].length; j++) {
                micro[k][j] = step[positions[k][j]];
                for (long i : micro[k][j]) if (seen.add(i)) mine.add(rows.get(i));
            }
        }
        return new ReplicaWork(r, positions, micro, mine);
    }

    /**
     * One Spark job with one task per replica, each preferring the executor where its replica ran last, so the
     * model stays resident; the reports come back in replica order.
     */
    List<ReplicaReport> replicaJob(List<ReplicaWork> works,
                                   FlatMapFunction<Iterator<ReplicaWork>, ReplicaReport> task) {
        List<ReplicaReport> reports = placed(works).toJavaRDD().mapPartitions(task).collect();
        placeNextAt(reports.stream().map(ReplicaReport::location).toList());
        return reports;
    }

    /** One partition per item, item r preferring the executor the last job's replica r ran on. */
    <T> RDD<T> placed(List<T> perReplica) {
        List<Tuple2<T, scala.collection.Seq<String>>> items = new ArrayList<>();
        for (int r = 0; r < perReplica.size(); r++) {
            List<String> preferred = r < locations.size() ? List.of(locations.get(r)) : List.of();
            items.add(new Tuple2<>(perReplica.get(r), JavaConverters.asScalaBuffer(preferred).toSeq()));
        }
        @SuppressWarnings("unchecked")
        ClassTag<T> tag = (ClassTag<T>) ClassTag$.MODULE$.apply(Object.class);
        return jsc.sc().makeRDD(JavaConverters.asScalaBuffer(items).toSeq(), tag);
    }

    void placeNextAt(List<String> where) {
        locations = List.copyOf(where);
    }

    /** A broadcast that lives until the end of the current round attempt (gradient totals, global parameters). */
    <T extends Serializable> Broadcast<T> roundBroadcast(T value) {
        Broadcast<T> b = jsc.broadcast(value);
        roundBroadcasts.add(b);
        return b;
    }

    /** Destroys a round broadcast as soon as its job is done. */
    void release(Broadcast<?> b) {
        if (b != null && roundBroadcasts.remove(b)) b.destroy();
    }

    private void releaseRoundBroadcasts() {
        for (Broadcast<?> b : roundBroadcasts) b.destroy();
        roundBroadcasts.clear();
    }

    /** Makes {@code model} (and the other replicas' states, when they differ) the broadcast state at {@code step}. */
    void publish(byte[] model, List<byte[]> peerStates, long step) {
        ModelBroadcast old = broadcast;
        state = model;
        this.peerStates = peerStates == null ? null : List.copyOf(peerStates);
        version++;
        broadcast = new ModelBroadcast(jsc.broadcast(model),
                this.peerStates == null ? null : jsc.broadcast(this.peerStates), step);
        if (old != null) destroy(old);
    }

    private static void destroy(ModelBroadcast b) {
        b.modelState().destroy();
        if (b.peerStates() != null) b.peerStates().destroy();
    }

    long stateStep() { return broadcast.step(); }

    /** The latest state pulled back from the executors (or the initial one): replica 0, the model. */
    public byte[] state() { return Objects.requireNonNull(state); }

    /** Replica r's state as last published: the model's unless the replicas differ (local SGD). */
    byte[] replicaState(int r) {
        return r == 0 || peerStates == null ? state : peerStates.get(r - 1);
    }

    /** Checkpoint files beyond the model's state (local SGD: the other replicas' states, the outer optimizer). */
    public Map<String, byte[]> checkpointFiles() {
        return rounds.checkpointFiles(this);
    }

    /** Version of the broadcast state; eval replicas are cached per version. */
    public long stateVersion() { return version; }

    public Broadcast<byte[]> broadcast() { return broadcast.modelState(); }

    @Override public void close() {
        releaseRoundBroadcasts();
        if (broadcast != null) destroy(broadcast);
    }
}
