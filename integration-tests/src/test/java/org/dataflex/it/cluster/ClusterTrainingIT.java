package org.dataflex.it.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.dataflex.driver.exec.FaultInjection;
import org.dataflex.it.ClusterRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on Spark's local-cluster mode: two executor JVMs, each with its own libtorch. Two allreduce replicas
 * train the same model as one; an executor killed in the middle of a training round (allreduce or local SGD) or
 * of a selection's scoring job is replaced, and the run ends with the same weights and metrics as an undisturbed
 * one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTrainingIT {
    private static final String LOSS_EXAMPLE = "conf/examples/select/loss.yaml";
    static SparkSession spark;
    @TempDir static Path tmp;

    @BeforeAll
    static void startCluster() {
        spark = LocalCluster.start(2, 1, 1536);
    }

    @AfterAll
    static void stopCluster() {
        spark.stop();
    }

    private static String[] pretrain(Path out, String... extra) {
        List<String> argv = new ArrayList<>(List.of(ClusterRuns.train("conf/examples/static/pt.yaml",
                "output_dir=" + out, "model_name_or_path=preset:gpt-nano", "train_step=6", "cutoff_len=64",
                "max_samples=20", "per_device_train_batch_size=4", "gradient_accumulation_steps=2",
                "logging_steps=2", "save_steps=3", "eval_steps=3", "eval_dataset=books_eval")));
        argv.addAll(List.of(extra));
        return argv.toArray(String[]::new);
    }

    @Test @Order(1)
    void twoExecutorReplicasTrainTheSameModelAsOne() {
        Path single = tmp.resolve("single");
        ClusterRuns.ok(pretrain(single));
        Path parallel = tmp.resolve("parallel");
        ClusterRuns.ok(pretrain(parallel, "sync_mode=allreduce", "num_replicas=2"));
        ClusterRuns.assertSameRun(single, parallel, 6, 1e-5);
    }

    @Test @Order(2)
    void anExecutorKilledDuringATrainingRoundIsReplacedAndTheResultIsUnchanged() {
        Path marker = tmp.resolve("killed-training");
        Path killed = tmp.resolve("killed");
        ClusterRuns.ok(pretrain(killed, "sync_mode=allreduce", "num_replicas=2",
                FaultInjection.KILL_TRAINING_AT_STEP + "=5", FaultInjection.KILL_MARKER + "=" + marker));
        assertTrue(Files.exists(marker), "the executor kill must have happened");
        ClusterRuns.assertSameRun(tmp.resolve("parallel"), killed, 6, 1e-6);
    }

    @Test @Order(3)
    void anExecutorKilledDuringAScoringJobIsReplacedAndTheSelectionIsUnchanged() {
        String[] select = {"model_name_or_path=preset:gpt-nano", "cutoff_len=64", "max_samples=15", "per_device_train_batch_size=4", "gradient_accumulation_steps=1",
                "warmup_step=2", "update_step=2", "update_times=2", "train_step=6", "logging_steps=2",
                "save_steps=3", "eval_steps=3", "eval_dataset=books_eval"};
        Path normal = tmp.resolve("select-normal");
        ClusterRuns.ok(ClusterRuns.with(ClusterRuns.train(LOSS_EXAMPLE, select), "output_dir=" + normal));
        Path marker = tmp.resolve("killed-scoring");
        Path killed = tmp.resolve("select-killed");
        ClusterRuns.ok(ClusterRuns.with(ClusterRuns.train(LOSS_EXAMPLE, select), "output_dir=" + killed,
                FaultInjection.KILL_SCORING_AT_STEP + "=2", FaultInjection.KILL_MARKER + "=" + marker));
        assertTrue(Files.exists(marker), "the executor kill must have happened");
        assertEquals(ClusterRuns.selection(normal, 2), ClusterRuns.selection(killed, 2));
        assertEquals(ClusterRuns.selection(normal, 4), ClusterRuns.selection(killed, 4));
        ClusterRuns.assertSameRun(normal, killed, 6, 1e-6);
    }

    @Test @Order(4)
    void localSgdReplicasOnTwoExecutorsSurviveAnExecutorKill() {
        String[] localSgd = {"sync_mode=local_sgd", "num_replicas=2", "sync_every=2", "outer_lr=0.7",
                "outer_momentum=0.9"};
        Path normal = tmp.resolve("local-sgd");
        ClusterRuns.ok(ClusterRuns.with(pretrain(normal), localSgd));
        Path marker = tmp.resolve("killed-local-sgd");
        Path killed = tmp.resolve("local-sgd-killed");
        ClusterRuns.ok(ClusterRuns.with(ClusterRuns.with(pretrain(killed), localSgd),
                FaultInjection.KILL_TRAINING_AT_STEP + "=5", FaultInjection.KILL_MARKER + "=" + marker));
        assertTrue(Files.exists(marker), "the executor kill must have happened");
        ClusterRuns.assertSameRun(normal, killed, 6, 1e-6);
    }
}
