package org.dataflex.driver.exec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.dataflex.datasets.Example;
import scala.Tuple2;

/**
 * Which micro-batches of a job's steps one replica trains: {@code positions[k]} are the micro-batch positions of
 * step k it owns (m with m mod K == r), {@code microBatches[k]} their dataset indices, and {@code rows} the
 * examples behind them, shipped with the task.
 */
public record ReplicaWork(int replica, int[][] positions, long[][][] microBatches,
                          ArrayList<Tuple2<Example, Long>> rows) implements Serializable {

    /** The replica that trains micro-batch {@code m} of a step. */
    public static int ownerOf(int microBatch, int replicas) {
        return microBatch % replicas;
    }

    /** The micro-batches of step k as examples, in {@code positions[k]} order. */
    List<List<Example>> batches(RoundExamples examples, int k) {
        List<List<Example>> out = new ArrayList<>();
        for (long[] micro : microBatches[k]) out.add(examples.batch(micro));
        return out;
    }

    RoundExamples examples() {
        return new RoundExamples(List.of(rows).iterator());
    }
}
