package org.dataflex.driver.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.SampleLosses;
import org.dataflex.executors.train.TrainingReplica;
import scala.Tuple2;

/**
 * Scores groups of pool examples with a read-only replica of one broadcast state: each group (a fixed block of
 * pool indices) is one forward batch, so the signals do not depend on how the pool is partitioned.
 */
public final class ScoreTask
        implements PairFlatMapFunction<Iterator<Tuple2<Long, Iterable<Tuple2<Example, Long>>>>, Long, Double> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final long version;
    private final ReplicaSpec spec;
    private final Broadcast<byte[]> state;
    private final long step;
    private final FaultInjection faults;

    public ScoreTask(String runId, long version, ReplicaSpec spec, Broadcast<byte[]> state, long step,
                     FaultInjection faults) {
        this.step = step;
        this.faults = faults;
        this.runId = runId;
        this.version = version;
        this.spec = spec;
        this.state = state;
    }

    @Override
    public Iterator<Tuple2<Long, Double>> call(Iterator<Tuple2<Long, Iterable<Tuple2<Example, Long>>>> groups) {
        List<Tuple2<Long, Double>> out = new ArrayList<>();
        if (!groups.hasNext()) return out.iterator();
        faults.whileScoring(step);
        TrainingReplica replica = ResidentReplicas.eval(runId, version, state::value, spec);
        while (groups.hasNext()) {
            List<Tuple2<Example, Long>> group = new ArrayList<>();
            groups.next()._2().forEach(group::add);
            group.sort(Comparator.comparingLong(Tuple2::_2));
            List<Example> batch = new ArrayList<>(group.size());
            for (Tuple2<Example, Long> t : group) batch.add(t._1());
            SampleLosses losses = replica.sampleLosses(batch);
            for (int i = 0; i < group.size(); i++) out.add(new Tuple2<>(group.get(i)._2(), losses.mean(i)));
        }
        return out.iterator();
    }
}
