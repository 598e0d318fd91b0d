package org.dataflex.driver.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.StepResult;
import org.dataflex.executors.train.TrainingReplica;
import scala.Tuple2;

/**
 * The body of a training round: the one task that holds the run's resident replica gathers the round's examples
 * from its partition and runs the planned optimizer steps on them.
 */
public final class RoundTask
        implements FlatMapFunction<Iterator<ArrayList<Tuple2<Example, Long>>>, RoundResult> {
    private static final long serialVersionUID = 1L;

    private final RoundPlan plan;
    private final ReplicaSpec spec;
    private final Broadcast<byte[]> state;
    private final long stateStep;
    private final FaultInjection faults;

    public RoundTask(RoundPlan plan, ReplicaSpec spec, Broadcast<byte[]> state, long stateStep,
                     FaultInjection faults) {
        this.faults = faults;
        this.plan = plan;
        this.spec = spec;
        this.state = state;
        this.stateStep = stateStep;
    }

    @Override
    public Iterator<RoundResult> call(Iterator<ArrayList<Tuple2<Example, Long>>> rows) {
        RoundExamples examples = new RoundExamples(rows);
        TrainingReplica replica = ResidentReplicas.training(plan.runId(), plan.fromStep(), stateStep, state::value,
                spec);
        long start = System.nanoTime();
        List<StepRecord> records = new ArrayList<>();
        for (int k = 0; k < plan.steps().length; k++) {
            faults.beforeStep(plan.fromStep() + k + 1);
            List<List<Example>> microBatches = new ArrayList<>();
            for (long[] micro : plan.steps()[k]) microBatches.add(examples.batch(micro));
            StepResult r = replica.trainStep(microBatches);
            if (k >= plan.replaySteps()) {
                records.add(StepRecord.of(r));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        byte[] out = plan.returnState() ? replica.toBytes() : null;
        return List.of(new RoundResult(records, seconds, out, List.of(ExecutorLocation.current()))).iterator();
    }
}
