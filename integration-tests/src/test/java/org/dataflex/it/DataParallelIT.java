package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parallelism on embedded Spark. allreduce: two replicas, each computing the gradients of half of every
 * step's micro-batches and applying the summed gradient, train the same model as one replica on the whole batch.
 * local_sgd: replicas train alone between syncs; checkpoints hold every replica and the outer optimizer, so a
 * crashed run resumes to the same weights.
 */
class DataParallelIT {
    @TempDir Path tmp;

    static String[] run(Path out, String... extra) {
        return run("conf/examples/static/pt.yaml", out, extra);
    }

    static String[] run(String config, Path out, String... extra) {
        List<String> argv = new ArrayList<>(List.of(Cli.train(config, "output_dir=" + out,
                Cli.tokenizer(), "model_name_or_path=preset:gpt-nano", "train_step=6", "cutoff_len=64",
                "max_samples=20", "per_device_train_batch_size=4", "gradient_accumulation_steps=4",
                "logging_steps=2", "save_steps=3", "eval_steps=3", "eval_dataset=books_eval", "weight_decay=0.1",
                "max_grad_norm=0.5")));
        argv.addAll(List.of(extra));
        return argv.toArray(String[]::new);
    }

    @Test
    void twoReplicasWithAllReduceTrainTheSameModelAsOne() {
        Path single = tmp.resolve("single");
        Cli.ok(run(single));
        Path parallel = tmp.resolve("parallel");
        Cli.ok(run(parallel, "sync_mode=allreduce", "num_replicas=2"));
        Weights.assertSameWeights(single.resolve("checkpoints/step_6/model.safetensors"),
                parallel.resolve("checkpoints/step_6/model.safetensors"), 1e-5);
        Weights.assertSameTrainingMetrics(RunFiles.metrics(single), RunFiles.metrics(parallel), 1e-5);
    }

    @Test
    void aLostReplicaIsRebuiltForAllPeersAndReplayed() {
        Path normal = tmp.resolve("normal");
        Cli.ok(run(normal, "sync_mode=allreduce", "num_replicas=2"));
        Path evicted = tmp.resolve("evicted");
        Cli.Result r = Cli.ok(run(evicted, "sync_mode=allreduce", "num_replicas=2",
                org.dataflex.driver.train.Trainer.EVICT_AFTER_ROUND + "=true"));
        assertTrue(r.out().contains("replaying"), r.out());
        Weights.assertSameWeights(normal.resolve("checkpoints/step_6/model.safetensors"),
                evicted.resolve("checkpoints/step_6/model.safetensors"), 1e-6);
    }

    /** The shipped local SGD example (2 replicas) with DiLoCo's outer Nesterov step, syncing every 2 steps. */
    static final String DILOCO = "conf/examples/parallel/pt_local_sgd.yaml";
    static final String[] LOCAL_SGD = {"sync_every=2", "outer_lr=0.7", "outer_momentum=0.9"};

    @Test
    void localSgdCheckpointsEveryReplicaAndResumesToTheSameWeights() {
        Path straight = tmp.resolve("local-straight");
        Cli.Result r = Cli.ok(run(DILOCO, straight, LOCAL_SGD));
        Path checkpoint = straight.resolve("checkpoints/step_3");
        assertTrue(Files.isRegularFile(checkpoint.resolve("replica_1_state.safetensors")), r.out());
        assertTrue(Files.isRegularFile(checkpoint.resolve("outer_optimizer.bin")));
        List<Map<String, Object>> metrics = RunFiles.metrics(straight);
        assertTrue(metrics.stream().anyMatch(m -> m.containsKey("loss")), metrics.toString());

        Path crashed = tmp.resolve("local-crashed");
        String[] crash = ClusterRuns.with(LOCAL_SGD, org.dataflex.driver.train.Trainer.CRASH_AFTER_STEP + "=4");
        assertThrows(IllegalStateException.class, () -> Cli.run(run(DILOCO, crashed, crash)));
        String[] resume = ClusterRuns.with(LOCAL_SGD, "resume_from_checkpoint=true");
        Cli.ok(run(DILOCO, crashed, resume));
        Weights.assertSameWeights(straight.resolve("checkpoints/step_6/model.safetensors"),
                crashed.resolve("checkpoints/step_6/model.safetensors"), 1e-6);
        // the resumed run's first log window starts at the checkpoint (step 3); the last one is whole in both
        assertEquals(lastLoss(metrics), lastLoss(RunFiles.metrics(crashed)), 1e-6);

        Path allreduce = tmp.resolve("allreduce-run");
        Cli.ok(run("conf/examples/parallel/pt_allreduce.yaml", allreduce, "train_step=3"));
        Cli.Result refused = Cli.run(run(allreduce, "sync_mode=local_sgd", "num_replicas=2", "train_step=3",
                "resume_from_checkpoint=" + allreduce.resolve("checkpoints/step_3")));
        assertEquals(2, refused.exitCode(), refused.out());
        assertTrue(refused.err().contains("was not saved by a sync_mode: local_sgd run"), refused.err());
    }

    static double lastLoss(List<Map<String, Object>> metrics) {
        return metrics.stream().filter(m -> m.containsKey("loss"))
                .reduce((a, b) -> b).map(m -> ((Number) m.get("loss")).doubleValue()).orElseThrow();
    }

    @Test
    void oneLocalSgdReplicaWithPlainAveragingIsPlainTraining() {
        Path plain = tmp.resolve("plain");
        Cli.ok(run(plain));
        Path local = tmp.resolve("local-one");
        Cli.ok(run(local, "sync_mode=local_sgd", "num_replicas=1", "sync_every=2"));
        Weights.assertSameWeights(plain.resolve("checkpoints/step_6/model.safetensors"),
                local.resolve("checkpoints/step_6/model.safetensors"), 0);
    }

    @Test
    void moreReplicasThanMicroBatchesIsAConfigError() {
        Cli.Result r = Cli.run(run(tmp.resolve("bad"), "sync_mode=allreduce", "num_replicas=8"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("num_replicas"), r.err());
    }
}
