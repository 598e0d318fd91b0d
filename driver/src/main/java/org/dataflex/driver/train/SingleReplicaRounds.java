package org.dataflex.driver.train;

import java.util.ArrayList;
import java.util.List;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.RoundPlan;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.RoundTask;
import scala.Tuple2;

/**
 * sync_mode none: a round is one Spark job whose single task holds the run's resident replica and runs all the
 * round's steps; it is placed back on the executor where that replica lives.
 */
final class SingleReplicaRounds implements ReplicaRounds {
    @Override
    public RoundResult run(RoundRunner runner, long start, long from, long to, boolean returnState) {
        long[][][] steps = new long[(int) (to - start)][][];
        for (long s = start + 1; s <= to; s++) steps[(int) (s - start - 1)] = runner.microBatches(s);
        RoundPlan plan = new RoundPlan(runner.runId(), start, steps, (int) (from - start), returnState);
        ArrayList<Tuple2<Example, Long>> rows = new ArrayList<>(runner.examplesOf(start, to).values());
        RoundResult result = runner.placed(List.of(rows)).toJavaRDD()
                .mapPartitions(new RoundTask(plan, runner.spec(), runner.modelBroadcast().modelState(),
                        runner.modelBroadcast().step(), runner.faults()))
                .collect().get(0);
        runner.placeNextAt(result.locations());
        if (result.state() != null) runner.publish(result.state(), null, to);
        return result;
    }
}
