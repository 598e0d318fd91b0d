package org.dataflex.driver.exec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.executors.train.GradientShard;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.StepResult;
import org.dataflex.executors.train.TrainingReplica;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of a data-parallel training round (a barrier stage with one task per replica). Every optimizer step,
 * replica r computes the gradients of the step's micro-batches m with m mod K == r, the replicas exchange their
 * gradient shards with Spark's barrier allGather, and each applies the same summed gradient: the update equals
 * single-replica training on the whole global batch, and the replicas stay identical.
 */
public final class ParallelRoundTask
        extends AbstractFunction1<Iterator<ArrayList<Tuple2<Example, Long>>>, Iterator<RoundResult>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RoundPlan plan;
    private final ReplicaSpec spec;
    private final Broadcast<byte[]> state;
    private final long stateStep;
    private final int replicas;
    private final FaultInjection faults;

    public ParallelRoundTask(RoundPlan plan, ReplicaSpec spec, Broadcast<byte[]> state, long stateStep,
                             int replicas, FaultInjection faults) {
        this.plan = plan;
        this.spec = spec;
        this.state = state;
        this.stateStep = stateStep;
        this.replicas = replicas;
        this.faults = faults;
    }

    /** The replica that trains micro-batch {@code m} of a step. */
    public static int ownerOf(int microBatch, int replicas) {
        return microBatch % replicas;
    }

    @Override
    public Iterator<RoundResult> apply(Iterator<ArrayList<Tuple2<Example, Long>>> rows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int r = context.partitionId();
        RoundExamples examples = new RoundExamples(JavaConverters.asJavaIterator(rows));
        TrainingReplica replica = replica(context, r);
        long start = System.nanoTime();
        List<StepRecord> records = new ArrayList<>();
        for (int k = 0; k < plan.steps().length; k++) {
            faults.beforeStep(plan.fromStep() + k + 1);
            long[][] micro = plan.steps()[k];
            List<List<Example>> mine = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (int m = 0; m < micro.length; m++) {
                if (ownerOf(m, replicas) != r) continue;
                mine.add(examples.batch(micro[m]));
                positions.add(m);
            }
            // the micro-batches' positions in the step seed their dropout masks as in a single-replica step
            GradientShard shard = replica.computeGradients(mine,
                    positions.stream().mapToInt(Integer::intValue).toArray(), micro.length);
            StepResult result = replica.applyGradients(
                    GradientShard.sum(BarrierMessages.allGather(context, shard)));
            if (k >= plan.replaySteps()) {
                records.add(StepRecord.of(result));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> locations = BarrierMessages.allGather(context, ExecutorLocation.current());
        List<RoundResult> out = new ArrayList<>();
        if (r == 0) {
            out.add(new RoundResult(records, seconds, plan.returnState() ? replica.toBytes() : null, locations));
        }
        return JavaConverters.asScalaIterator(out.iterator());
    }

    /**
     * All replicas resume from their resident copies only when every one of them is there; otherwise all rebuild
     * from the broadcast state together (when it is at the round's start) or all report the loss, so the driver
     * replays the round from the broadcast state.
     */
    private TrainingReplica replica(BarrierTaskContext context, int r) {
        String key = plan.runId() + "#" + r;
        boolean present = ResidentReplicas.holdsOrAdopts(plan.runId(), r, plan.fromStep());
        boolean allPresent = BarrierMessages.allGather(context, present).stream().allMatch(Boolean::booleanValue);
        if (allPresent) return ResidentReplicas.resident(key);
        if (plan.fromStep() == stateStep) return ResidentReplicas.rebuild(key, state::value, spec);
        throw new ReplicaLostException(key, plan.fromStep(), present ? "a peer that lost its replica" : "none");
    }
}
