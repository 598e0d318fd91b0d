package org.dataflex.driver.train;

import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.FaultInjection;
import org.dataflex.driver.exec.ScoreTask;
import org.dataflex.executors.train.ReplicaSpec;
import scala.Tuple2;

/**
 * One Spark scoring job over the candidate pool: executors run the current model over fixed blocks of pool
 * indices and return per-example signals keyed by index; the driver aligns them into an array.
 */
final class PoolScorer {
    private final JavaPairRDD<Example, Long> pool;
    private final long size;
    private final int batchSize;

    PoolScorer(JavaPairRDD<Example, Long> pool, long size, int batchSize) {
        this.pool = pool;
        this.size = size;
        this.batchSize = batchSize;
    }

    double[] losses(String runId, long version, ReplicaSpec spec, Broadcast<byte[]> state, long step,
                    FaultInjection faults) {
        long block = batchSize;
        int partitions = pool.getNumPartitions();
        List<Tuple2<Long, Double>> scored = pool
                .mapToPair(t -> new Tuple2<>(t._2() / block, t))
                .groupByKey(partitions)
                .mapPartitionsToPair(new ScoreTask(runId, version, spec, state, step, faults))
                .collect();
        double[] losses = new double[Math.toIntExact(size)];
        boolean[] seen = new boolean[losses.length];
        for (Tuple2<Long, Double> t : scored) {
            int i = Math.toIntExact(t._1());
            losses[i] = t._2();
            seen[i] = true;
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) throw new IllegalStateException("scoring returned no loss for example #" + i);
        }
        return losses;
    }
}
