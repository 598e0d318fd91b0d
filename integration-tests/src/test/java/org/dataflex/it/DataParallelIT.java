package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync_mode allreduce on embedded Spark: two replicas, each computing the gradients of half of every step's
 * micro-batches and applying the summed gradient, train the same model as one replica on the whole batch.
 */
class DataParallelIT {
    @TempDir Path tmp;

    static String[] run(Path out, String... extra) {
        List<String> argv = new ArrayList<>(List.of(Cli.train("conf/examples/static/pt.yaml", "output_dir=" + out,
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

    @Test
    void moreReplicasThanMicroBatchesIsAConfigError() {
        Cli.Result r = Cli.run(run(tmp.resolve("bad"), "sync_mode=allreduce", "num_replicas=8"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("num_replicas"), r.err());
    }
}
