package org.dataflex.driver.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.executors.train.GradientShard;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;

/**
 * One replica's part of one allreduce job: apply the previous step's gradient total (every replica applies the
 * same one, so all stay identical), then compute the gradients of this replica's micro-batches of the next step
 * without updating. The driver sums the shards in replica order and broadcasts the total to the next job. A job
 * without a next step only applies (the end of a round) and, when asked, returns replica 0's state.
 */
public final class AllReduceStepTask implements FlatMapFunction<Iterator<ReplicaWork>, ReplicaReport> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final ReplicaSpec spec;
    private final ModelBroadcast state;
    private final long expectStep;
    private final Broadcast<GradientShard> pending;
    private final int stepMicroBatches;
    private final boolean returnState;
    private final FaultInjection faults;

    /**
     * @param expectStep       the replicas' step before this job
     * @param pending          the gradient total of step expectStep+1, or null when there is none to apply
     * @param stepMicroBatches the micro-batch count of the step whose gradients this job computes
     */
    public AllReduceStepTask(String runId, ReplicaSpec spec, ModelBroadcast state, long expectStep,
                             Broadcast<GradientShard> pending, int stepMicroBatches, boolean returnState,
                             FaultInjection faults) {
        this.runId = runId;
        this.spec = spec;
        this.state = state;
        this.expectStep = expectStep;
        this.pending = pending;
        this.stepMicroBatches = stepMicroBatches;
        this.returnState = returnState;
        this.faults = faults;
    }

    @Override
    public Iterator<ReplicaReport> call(Iterator<ReplicaWork> works) {
        ReplicaWork work = works.next();
        int r = work.replica();
        TrainingReplica replica = ResidentReplicas.interchangeable(runId, r, expectStep, state.step(),
                state::model, spec);
        GradientShard total = pending == null ? null : pending.value(); // fetching it is transfer, not compute
        long start = System.nanoTime();
        List<StepRecord> steps = new ArrayList<>();
        if (total != null) steps.add(StepRecord.of(replica.applyGradients(total)));
        GradientShard shard = null;
        if (work.microBatches().length > 0) {
            faults.beforeStep(replica.step() + 1);
            shard = replica.computeGradients(work.batches(work.examples(), 0), work.positions()[0],
                    stepMicroBatches);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        byte[] bytes = returnState && r == 0 ? replica.toBytes() : null;
        return List.of(new ReplicaReport(r, steps, shard, null, null, seconds, ExecutorLocation.current(), bytes))
                .iterator();
    }
}
