package org.dataflex.driver.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.FaultInjection;
import org.dataflex.driver.exec.ParallelRoundTask;
import org.dataflex.driver.exec.ReplicaLostException;
import org.dataflex.driver.exec.RoundPlan;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.RoundTask;
import org.dataflex.executors.train.ReplicaSpec;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Runs training rounds as Spark jobs and owns the broadcast model state: its bytes, its version and the step it
 * holds. A round's examples are filtered out of the cached, numbered training set and coalesced into the one task
 * that holds the run's resident replica. A round that finds its replica gone is replayed from the broadcast state.
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
    private final int replicas;
    private final FaultInjection faults;
    private Broadcast<byte[]> broadcast;
    private List<String> locations = List.of();
    private byte[] state;
    private long stateStep;
    private long version;

    /**
     * @param replicas training replicas: 1 trains in a single task; more train data-parallel in a barrier stage
     *                 with one task per replica, gradients summed every step (sync_mode: allreduce)
     */
    public RoundRunner(JavaSparkContext jsc, JavaPairRDD<Example, Long> indexed, ReplicaSpec spec, String runId,
                       BatchPlan batches, byte[] state, long stateStep, PrintStream console, int replicas,
                       FaultInjection faults) {
        this.jsc = jsc;
        this.replicas = replicas;
        this.faults = faults;
        this.indexed = indexed;
        this.spec = spec;
        this.runId = runId;
        this.batches = batches;
        this.console = console;
        publish(state, stateStep);
    }

    /** Optimizer steps {@code from+1 .. to}; with {@code returnState} the state afterwards is broadcast anew. */
    public RoundResult run(long from, long to, boolean returnState) {
        long replayFrom = from;
        for (int attempt = 1; ; attempt++) {
            try {
                return runPlan(plan(replayFrom, from, to, returnState));
            } catch (Exception e) { // Spark throws its checked SparkException from Scala
                if (!ReplicaLostException.isCause(e) && !lostAnExecutor(e)) throw e;
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("round " + from + ".." + to + " failed " + attempt
                            + " times after losing its replicas", e);
                }
                console.printf("%n[dataflex] resident model lost before step %d (%s); replaying from step %d%n",
                        from, ReplicaLostException.isCause(e) ? "replica missing" : "executor lost", stateStep);
                replayFrom = stateStep;
            }
        }
    }

    /**
     * An executor died under the round: Spark gives up on a barrier stage whose task was lost, and a retried
     * single task finds no replica on its new executor. Both are answered by replaying from the broadcast state.
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

    private RoundResult runPlan(RoundPlan plan) {
        RoundResult result = replicas == 1 ? runSingle(plan) : runParallel(plan);
        locations = result.locations();
        if (result.state() != null) publish(result.state(), plan.toStep());
        return result;
    }

    /** The round's examples, gathered from the cached training set by one filter job. */
    private Map<Long, Tuple2<Example, Long>> examplesOf(RoundPlan plan) {
        Set<Long> wanted = new HashSet<>();
        for (long[][] stepBatches : plan.steps()) {
            for (long[] micro : stepBatches) for (long i : micro) wanted.add(i);
        }
        Map<Long, Tuple2<Example, Long>> rows = new HashMap<>();
        for (Tuple2<Example, Long> t : indexed.filter(t -> wanted.contains(t._2())).collect()) rows.put(t._2(), t);
        return rows;
    }

    private RoundResult runSingle(RoundPlan plan) {
        ArrayList<Tuple2<Example, Long>> rows = new ArrayList<>(examplesOf(plan).values());
        return placed(List.of(rows), locations).toJavaRDD()
                .mapPartitions(new RoundTask(plan, spec, broadcast, stateStep, faults)).collect().get(0);
    }

    /** One barrier stage; replica r gets the examples of the micro-batches m with m mod K == r. */
    private RoundResult runParallel(RoundPlan plan) {
        Map<Long, Tuple2<Example, Long>> rows = examplesOf(plan);
        List<ArrayList<Tuple2<Example, Long>>> shards = new ArrayList<>();
        List<Set<Long>> seen = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            shards.add(new ArrayList<>());
            seen.add(new HashSet<>());
        }
        for (long[][] stepBatches : plan.steps()) {
            for (int m = 0; m < stepBatches.length; m++) {
                int owner = ParallelRoundTask.ownerOf(m, replicas);
                for (long i : stepBatches[m]) {
                    if (seen.get(owner).add(i)) shards.get(owner).add(rows.get(i));
                }
            }
        }
        // no placement preferences: a barrier stage waits out Spark's locality delay before launching, and any
        // executor's resident replica can take any part (ResidentReplicas.holdsOrAdopts)
        RDD<RoundResult> results = placed(shards, List.of()).barrier().mapPartitions(
                new ParallelRoundTask(plan, spec, broadcast, stateStep, replicas, faults), false,
                ClassTag$.MODULE$.apply(RoundResult.class));
        return results.toJavaRDD().collect().get(0);
    }

    /**
     * One partition per replica holding its examples, each preferring the executor in {@code where} (by replica):
     * the single training task goes back to the executor where its replica stayed resident, so the model does
     * not have to be rebuilt and replayed elsewhere.
     */
    private RDD<ArrayList<Tuple2<Example, Long>>> placed(List<ArrayList<Tuple2<Example, Long>>> perReplica,
                                                         List<String> where) {
        List<Tuple2<ArrayList<Tuple2<Example, Long>>, scala.collection.Seq<String>>> items = new ArrayList<>();
        for (int r = 0; r < perReplica.size(); r++) {
            List<String> preferred = r < where.size() ? List.of(where.get(r)) : List.of();
            items.add(new Tuple2<>(perReplica.get(r), JavaConverters.asScalaBuffer(preferred).toSeq()));
        }
        @SuppressWarnings("unchecked")
        ClassTag<ArrayList<Tuple2<Example, Long>>> tag = (ClassTag<ArrayList<Tuple2<Example, Long>>>)
                (ClassTag<?>) ClassTag$.MODULE$.apply(ArrayList.class);
        return jsc.sc().makeRDD(JavaConverters.asScalaBuffer(items).toSeq(), tag);
    }

    private RoundPlan plan(long replayFrom, long from, long to, boolean returnState) {
        long[][][] steps = new long[(int) (to - replayFrom)][][];
        for (long s = replayFrom + 1; s <= to; s++) steps[(int) (s - replayFrom - 1)] = batches.microBatches(s);
        return new RoundPlan(runId, replayFrom, steps, (int) (from - replayFrom), returnState);
    }

    private void publish(byte[] newState, long step) {
        Broadcast<byte[]> old = broadcast;
        state = newState;
        stateStep = step;
        version++;
        broadcast = jsc.broadcast(newState);
        if (old != null) old.destroy();
    }

    /** The latest state pulled back from the executor (or the initial one). */
    public byte[] state() { return Objects.requireNonNull(state); }

    /** Version of the broadcast state; eval replicas are cached per version. */
    public long stateVersion() { return version; }

    public Broadcast<byte[]> broadcast() { return broadcast; }

    @Override public void close() {
        if (broadcast != null) broadcast.destroy();
    }
}
