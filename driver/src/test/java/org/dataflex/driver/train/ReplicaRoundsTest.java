package org.dataflex.driver.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.FaultInjection;
import org.dataflex.driver.exec.ResidentReplicas;
import org.dataflex.driver.exec.RoundResult;
import org.dataflex.driver.exec.StepRecord;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.optim.OuterOptimizer;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.StepResult;
import org.dataflex.executors.train.TrainingReplica;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel rounds on embedded Spark against oracles computed with plain replicas in this JVM: allreduce
 * equals one replica on the whole batch; local SGD equals replicas that train their own micro-batches and meet at
 * every sync point through the outer optimizer. Lost replicas are replayed to the same result.
 */
class ReplicaRoundsTest {
    static final ReplicaSpec SPEC = new ReplicaSpec(new ModelConfig(50, 32, 16, 1, 2), null,
            OptimizerSpec.defaults(3e-3, "linear", 1, 12), null, 7);
    static final int MICRO = 4;
    static SparkSession spark;
    static JavaSparkContext jsc;
    static List<Example> data;
    static JavaPairRDD<Example, Long> indexed;
    final String runId = UUID.randomUUID().toString();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("ReplicaRoundsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SplittableRandom rng = new SplittableRandom(3);
        data = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int[] ids = new int[6 + rng.nextInt(10)];
            for (int t = 0; t < ids.length; t++) ids[t] = 1 + rng.nextInt(49);
            data.add(new Example("ex:" + i, "d", ids, ids.clone()));
        }
        indexed = jsc.parallelize(data, 3).zipWithIndex().cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void evict() {
        ResidentReplicas.evict(runId);
    }

    /** Step s: MICRO micro-batches of two examples, walking the data; step 3 is short (one micro-batch). */
    static long[][] plan(long step) {
        int count = step == 3 ? 1 : MICRO;
        long[][] micro = new long[count][];
        for (int m = 0; m < count; m++) {
            long first = ((step - 1) * MICRO + m) * 2 % data.size();
            micro[m] = new long[] {first, (first + 1) % data.size()};
        }
        return micro;
    }

    static List<List<Example>> examples(long[][] micro, int[] positions) {
        List<List<Example>> out = new ArrayList<>();
        for (int m : positions) out.add(List.of(data.get((int) micro[m][0]), data.get((int) micro[m][1])));
        return out;
    }

    static int[] owned(int count, int r, int replicas) {
        return IntStream.range(0, count).filter(m -> m % replicas == r).toArray();
    }

    static byte[] initialState() {
        try (TrainingReplica r = TrainingReplica.create(SPEC)) {
            return r.toBytes();
        }
    }

    RoundRunner runner(ReplicaRounds rounds) {
        return new RoundRunner(jsc, indexed, SPEC, runId, ReplicaRoundsTest::plan, initialState(), null, 0,
                new PrintStream(console), rounds, FaultInjection.none());
    }

    /** Rounds 0..2, 2..4 and 4..6 (state asked for after 4 and 6), optionally losing every replica after each. */
    List<StepRecord> train(RoundRunner runner, boolean evictAfterRounds) {
        List<StepRecord> records = new ArrayList<>();
        long[][] rounds = {{0, 2, 0}, {2, 4, 1}, {4, 6, 1}};
        for (long[] round : rounds) {
            RoundResult result = runner.run(round[0], round[1], round[2] == 1);
            records.addAll(result.steps());
            if (evictAfterRounds) ResidentReplicas.evict(runId);
        }
        return records;
    }

    static float[] parameters(byte[] state) {
        try (TrainingReplica r = TrainingReplica.fromBytes(SPEC, state)) {
            return r.trainableParameters();
        }
    }

    @Test
    void allReduceEqualsOneReplicaOnTheWholeBatch() {
        List<StepResult> expected = new ArrayList<>();
        float[] oracle;
        try (TrainingReplica one = TrainingReplica.fromBytes(SPEC, initialState())) {
            for (long s = 1; s <= 6; s++) {
                long[][] micro = plan(s);
                expected.add(one.trainStep(examples(micro, IntStream.range(0, micro.length).toArray())));
            }
            oracle = one.trainableParameters();
        }
        try (RoundRunner runner = runner(new AllReduceRounds(2))) {
            List<StepRecord> records = train(runner, false);
            assertEquals(6, records.size());
            for (int i = 0; i < 6; i++) {
                assertEquals(i + 1, records.get(i).step());
                assertEquals(expected.get(i).loss(), records.get(i).loss(), 1e-6);
                assertEquals(expected.get(i).gradNorm(), records.get(i).gradNorm(), 1e-5);
                assertEquals(expected.get(i).inputTokens(), records.get(i).inputTokens());
            }
            assertArrayEquals(oracle, parameters(runner.state()), 1e-5f);
        }
    }

    /** Two replicas on their own micro-batches, meeting at steps 2 and 4 (sync_every) and 6 (state asked). */
    static float[][] localSgdOracle(OuterOptimizer outer, List<Double> losses) {
        byte[] start = initialState();
        try (TrainingReplica a = TrainingReplica.fromBytes(SPEC, start);
             TrainingReplica b = TrainingReplica.fromBytes(SPEC, start)) {
            TrainingReplica[] replicas = {a, b};
            float[] global = a.trainableParameters();
            for (long s = 1; s <= 6; s++) {
                long[][] micro = plan(s);
                double loss = 0;
                for (int r = 0; r < 2; r++) {
                    int[] mine = owned(micro.length, r, 2);
                    if (mine.length == 0) {
                        replicas[r].idleStep();
                        continue;
                    }
                    loss += replicas[r].trainStep(examples(micro, mine), mine, micro.length).loss() * mine.length;
                }
                losses.add(loss / micro.length);
                if (s % 2 == 0) {
                    global = outer.step(global, OuterOptimizer.mean(List.of(a.trainableParameters(),
                            b.trainableParameters())));
                    a.setTrainableParameters(global);
                    b.setTrainableParameters(global);
                }
            }
            return new float[][] {a.trainableParameters(), parameters(b.toBytes())};
        }
    }

    void assertLocalSgdMatchesOracle(boolean evict) {
        List<Double> losses = new ArrayList<>();
        float[][] oracle = localSgdOracle(new OuterOptimizer(0.7, 0.9), losses);
        try (RoundRunner runner = runner(new LocalSgdRounds(2, 2, new OuterOptimizer(0.7, 0.9)))) {
            List<StepRecord> records = train(runner, evict);
            assertEquals(6, records.size());
            for (int i = 0; i < 6; i++) assertEquals(losses.get(i), records.get(i).loss(), 1e-6, "step " + (i + 1));
            assertArrayEquals(oracle[0], parameters(runner.state()), 1e-6f);
            Map<String, byte[]> files = runner.checkpointFiles();
            assertEquals(List.of(LocalSgdRounds.replicaFile(1), LocalSgdRounds.OUTER_FILE),
                    new ArrayList<>(files.keySet()));
            assertArrayEquals(oracle[1], parameters(files.get(LocalSgdRounds.replicaFile(1))), 1e-6f,
                    "replica 1 took the same global parameters");
            assertEquals(3, OuterOptimizer.fromBytes(files.get(LocalSgdRounds.OUTER_FILE)).steps());
        }
    }

    @Test
    void localSgdEqualsReplicasThatMeetThroughTheOuterOptimizer() {
        assertLocalSgdMatchesOracle(false);
    }

    @Test
    void localSgdReplaysLostReplicasToTheSameResult() {
        assertLocalSgdMatchesOracle(true);
        assertTrue(console.toString().contains("replaying"), console.toString());
    }

    @Test
    void allReduceReplaysLostReplicasToTheSameResult() {
        float[] normal;
        try (RoundRunner runner = runner(new AllReduceRounds(2))) {
            train(runner, false);
            normal = parameters(runner.state());
        }
        ResidentReplicas.evict(runId);
        try (RoundRunner runner = runner(new AllReduceRounds(2))) {
            train(runner, true);
            assertArrayEquals(normal, parameters(runner.state()), 0f);
        }
        assertTrue(console.toString().contains("replaying"), console.toString());
    }

    @Test
    void localSgdCheckpointFromAnotherSetupIsRefusedNamingIt() {
        Map<String, byte[]> saved = Map.of(LocalSgdRounds.replicaFile(1), new byte[1],
                LocalSgdRounds.OUTER_FILE, new byte[1]);
        assertEquals(1, LocalSgdRounds.savedPeers(saved, 2, "ck").size());
        String fewer = assertThrows(IllegalArgumentException.class,
                () -> LocalSgdRounds.savedPeers(saved, 3, "ck")).getMessage();
        assertTrue(fewer.contains("ck") && fewer.contains("num_replicas: 3") && fewer.contains("replica_2"), fewer);
        String more = assertThrows(IllegalArgumentException.class,
                () -> LocalSgdRounds.savedPeers(saved, 1, "ck")).getMessage();
        assertTrue(more.contains("more replica states"), more);
        String none = assertThrows(IllegalArgumentException.class,
                () -> LocalSgdRounds.savedPeers(Map.of(), 2, "ck")).getMessage();
        assertTrue(none.contains("local_sgd"), none);
    }
}
