package org.dataflex.driver.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.AllReduceStepTask;
import org.dataflex.driver.exec.ReplicaReport;
import org.dataflex.driver.exec.ReplicaWork;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.StepRecord;
import org.dataflex.executors.train.GradientShard;
import scala.Tuple2;

/**
 * sync_mode allreduce: one Spark job per optimizer step. In the job of step s every replica applies the gradient
 * total of step s-1 (broadcast by the driver) and computes the gradients of its micro-batches of step s; the
 * driver sums the shards in replica order (so the total, and every replica, is the same on every run) and
 * broadcasts the total to the next job. A last job per round applies the final total and, when asked, returns
 * the state. The result equals one replica training on the whole global batch, up to float rounding.
 *
 * <p>Not a barrier stage: Spark 3.5's barrier {@code allGather} polls its RPC once a second, which made every
 * step at least a second long; independent jobs cost tens of milliseconds and need no gang scheduling, because
 * no task waits for another inside a job.
 */
final class AllReduceRounds implements ReplicaRounds {
    private final int replicas;

    AllReduceRounds(int replicas) {
        this.replicas = replicas;
    }

    @Override
    public RoundResult run(RoundRunner runner, long start, long from, long to, boolean returnState) {
        Map<Long, Tuple2<Example, Long>> rows = runner.examplesOf(start, to);
        List<StepRecord> records = new ArrayList<>();
        double computeSeconds = 0;
        Broadcast<GradientShard> pending = null;
        byte[] state = null;
        for (long s = start + 1; s <= to + 1; s++) {
            boolean finish = s == to + 1;
            List<ReplicaWork> works = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                works.add(finish ? runner.work(r, replicas, s, s - 1, rows) : runner.work(r, replicas, s, s, rows));
            }
            int stepMicroBatches = finish ? 0 : runner.microBatches(s).length;
            long expect = pending == null ? s - 1 : s - 2;
            List<ReplicaReport> reports = runner.replicaJob(works, new AllReduceStepTask(runner.runId(),
                    runner.spec(), runner.modelBroadcast(), expect, pending, stepMicroBatches,
                    finish && returnState, runner.faults()));
            runner.release(pending);
            computeSeconds += slowest(reports);
            for (StepRecord applied : reports.get(0).steps()) {
                if (applied.step() > from) records.add(applied);
            }
            if (finish) {
                state = reports.get(0).state();
            } else {
                List<GradientShard> shards = new ArrayList<>();
                for (ReplicaReport report : reports) shards.add(report.shard());
                pending = runner.roundBroadcast(GradientShard.sum(shards));
            }
        }
        if (state != null) runner.publish(state, null, to);
        return new RoundResult(records, computeSeconds, state, List.of());
    }

    /** A job lasts as long as its slowest replica: the round's compute time on the critical path. */
    static double slowest(List<ReplicaReport> reports) {
        return reports.stream().mapToDouble(ReplicaReport::computeSeconds).max().orElse(0);
    }
}
