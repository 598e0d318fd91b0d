package org.dataflex.driver.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.dataflex.algorithms.select.PoolSignals;
import org.dataflex.algorithms.select.SelectionRequest;
import org.dataflex.algorithms.select.SelectorFactory;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.ResidentReplicas;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.SampleLosses;
import org.dataflex.executors.train.TrainingReplica;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A scoring job gives the same per-example signals, and so the same selection, however the pool is partitioned. */
class PoolScorerTest {
    static final ReplicaSpec SPEC = new ReplicaSpec(new ModelConfig(50, 32, 16, 1, 2), null,
            OptimizerSpec.defaults(1e-3, "constant", 0, 10), null, 11);
    static SparkSession spark;
    static JavaSparkContext jsc;
    static List<Example> pool;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("PoolScorerTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SplittableRandom rng = new SplittableRandom(5);
        pool = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            int[] ids = new int[8 + rng.nextInt(20)];
            for (int t = 0; t < ids.length; t++) ids[t] = 1 + rng.nextInt(49);
            pool.add(new Example("pool:" + i, i % 2 == 0 ? "a" : "b", ids, ids.clone()));
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static double[] score(int partitions, byte[] state) {
        String runId = UUID.randomUUID().toString();
        JavaPairRDD<Example, Long> indexed = jsc.parallelize(pool, partitions).zipWithIndex();
        Broadcast<byte[]> broadcast = jsc.broadcast(state);
        try {
            return new PoolScorer(indexed, pool.size(), 5).losses(runId, 1, SPEC, broadcast, 0,
                    org.dataflex.driver.exec.FaultInjection.none());
        } finally {
            ResidentReplicas.evict(runId);
            broadcast.destroy();
        }
    }

    @Test
    void oneAndFourPartitionsGiveIdenticalSignalsAndSelections() {
        byte[] state;
        double[] direct;
        try (TrainingReplica replica = TrainingReplica.create(SPEC)) {
            state = replica.toBytes();
            SampleLosses losses = replica.sampleLosses(pool);
            direct = losses.means();
        }
        double[] one = score(1, state);
        double[] four = score(4, state);
        assertArrayEquals(one, four, "signals must not depend on partitioning");
        assertArrayEquals(direct, one, 1e-5, "aligned by pool index");

        var selector = SelectorFactory.create("loss", java.util.Map.of("focus", "high"));
        int[] a = selector.select(new SelectionRequest(7, 10, pool.size(), 1, 1, new PoolSignals(one, null, null)))
                .indices();
        int[] b = selector.select(new SelectionRequest(7, 10, pool.size(), 1, 1, new PoolSignals(four, null, null)))
                .indices();
        assertArrayEquals(a, b);
    }
}
