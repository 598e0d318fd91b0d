package org.dataflex.driver.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;

/**
 * One replica's part of one local SGD job: take the new global parameters of the last sync (if any), then train
 * the job's steps alone on this replica's micro-batches with its own AdamW moments, and send back its parameters
 * when the job ends at a sync point. Replicas differ between syncs, so each must run where it is resident (or be
 * rebuilt from the driver's last state of exactly that replica).
 */
public final class LocalSgdTask implements FlatMapFunction<Iterator<ReplicaWork>, ReplicaReport> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final ReplicaSpec spec;
    private final ModelBroadcast state;
    private final long expectStep;
    private final Broadcast<float[]> global;
    private final int[] stepMicroBatches;
    private final boolean sync;
    private final boolean reportStart;
    private final boolean returnState;
    private final FaultInjection faults;

    /**
     * @param global           parameters every replica takes before training, or null
     * @param stepMicroBatches the global micro-batch count of each step of the job
     * @param sync             the job ends at a sync point: send the parameters back
     * @param reportStart      send replica 0's parameters before training (the driver has no global copy yet)
     */
    public LocalSgdTask(String runId, ReplicaSpec spec, ModelBroadcast state, long expectStep,
                        Broadcast<float[]> global, int[] stepMicroBatches, boolean sync, boolean reportStart,
                        boolean returnState, FaultInjection faults) {
        this.runId = runId;
        this.spec = spec;
        this.state = state;
        this.expectStep = expectStep;
        this.global = global;
        this.stepMicroBatches = stepMicroBatches;
        this.sync = sync;
        this.reportStart = reportStart;
        this.returnState = returnState;
        this.faults = faults;
    }

    @Override
    public Iterator<ReplicaReport> call(Iterator<ReplicaWork> works) {
        ReplicaWork work = works.next();
        int r = work.replica();
        TrainingReplica replica = ResidentReplicas.training(runId + "#" + r, expectStep, state.step(),
                () -> state.replica(r), spec);
        float[] newGlobal = global == null ? null : global.value(); // fetching it is transfer, not compute
        long start = System.nanoTime();
        if (newGlobal != null) replica.setTrainableParameters(newGlobal);
        float[] startParameters = reportStart && r == 0 ? replica.trainableParameters() : null;
        RoundExamples examples = work.examples();
        List<StepRecord> steps = new ArrayList<>();
        for (int k = 0; k < work.microBatches().length; k++) {
            faults.beforeStep(replica.step() + 1);
            // a step with fewer micro-batches than replicas (an epoch's short last step) leaves some idle
            steps.add(StepRecord.of(work.positions()[k].length == 0 ? replica.idleStep()
                    : replica.trainStep(work.batches(examples, k), work.positions()[k], stepMicroBatches[k])));
        }
        float[] parameters = sync ? replica.trainableParameters() : null;
        double seconds = (System.nanoTime() - start) / 1e9;
        byte[] bytes = returnState ? replica.toBytes() : null;
        return List.of(new ReplicaReport(r, steps, null, parameters, startParameters, seconds,
                ExecutorLocation.current(), bytes)).iterator();
    }
}
