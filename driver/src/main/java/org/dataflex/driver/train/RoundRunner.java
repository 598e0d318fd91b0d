package org.dataflex.driver.train;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.ReplicaLostException;
import org.dataflex.driver.exec.RoundPlan;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.RoundTask;
import org.dataflex.executors.train.ReplicaSpec;

/**
 * Runs training rounds as Spark jobs and owns the broadcast model state: its bytes, its version and the step it
 * holds. A round's examples are filtered out of the cached, numbered training set and coalesced into the one task
 * that holds the run's resident replica. A round that finds its replica gone is replayed from the broadcast state.
 */
public final class RoundRunner implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final JavaPairRDD<Example, Long> indexed;
    private final ReplicaSpec spec;
    private final String runId;
    private final BatchPlan batches;
    private final PrintStream console;
    private Broadcast<byte[]> broadcast;
    private byte[] state;
    private long stateStep;
    private long version;

    public RoundRunner(JavaSparkContext jsc, JavaPairRDD<Example, Long> indexed, ReplicaSpec spec, String runId,
                       BatchPlan batches, byte[] state, long stateStep, PrintStream console) {
        this.jsc = jsc;
        this.indexed = indexed;
        this.spec = spec;
        this.runId = runId;
        this.batches = batches;
        this.console = console;
        publish(state, stateStep);
    }

    /** Optimizer steps {@code from+1 .. to}; with {@code returnState} the state afterwards is broadcast anew. */
    public RoundResult run(long from, long to, boolean returnState) {
        try {
            return runPlan(plan(from, from, to, returnState));
        } catch (Exception e) { // Spark throws its checked SparkException from Scala
            if (!ReplicaLostException.isCause(e)) throw e;
            console.printf("%n[dataflex] resident model lost before step %d; replaying from step %d%n", from,
                    stateStep);
            return runPlan(plan(stateStep, from, to, returnState));
        }
    }

    private RoundResult runPlan(RoundPlan plan) {
        Set<Long> wanted = new HashSet<>();
        for (long[][] stepBatches : plan.steps()) {
            for (long[] micro : stepBatches) for (long i : micro) wanted.add(i);
        }
        List<RoundResult> out = indexed.filter(t -> wanted.contains(t._2())).coalesce(1)
                .mapPartitions(new RoundTask(plan, spec, broadcast, stateStep)).collect();
        RoundResult result = out.get(0);
        if (result.state() != null) publish(result.state(), plan.toStep());
        return result;
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
