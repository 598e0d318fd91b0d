package org.dataflex.it.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.dataflex.it.ClusterRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver process killed with SIGKILL in the middle of a data-parallel run on local-cluster (its own executor
 * JVMs die with it) leaves complete checkpoints only; resuming from the last one ends with the same weights and
 * metrics as an uninterrupted run.
 */
class DriverKillIT {
    private static final int STEPS = 24;
    @TempDir Path tmp;

    private static String[] pretrain(Path out, String... extra) {
        return ClusterRuns.with(ClusterRuns.train("conf/examples/static/pt.yaml", "output_dir=" + out,
                "model_name_or_path=preset:gpt-nano", "train_step=" + STEPS, "cutoff_len=64", "max_samples=40",
                "per_device_train_batch_size=4", "gradient_accumulation_steps=2", "logging_steps=2",
                "save_steps=6", "eval_strategy=no", "plot_loss=false", "sync_mode=allreduce", "num_replicas=2"),
                extra);
    }

    @Test
    void aKilledDriverResumesFromItsLastCheckpointToTheSameWeights() throws Exception {
        Path straight = tmp.resolve("straight");
        Path killed = tmp.resolve("killed");
        SparkSession spark = LocalCluster.start(2, 1, 1024); // for the runs in this JVM; idle while killed runs
        try {
            ClusterRuns.ok(pretrain(straight));

            Process driver = driverProcess(pretrain(killed), tmp.resolve("driver.log"));
            Path firstCheckpoint = killed.resolve("checkpoints/step_6/trainer_state.json");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!Files.exists(firstCheckpoint) && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(driver.isAlive(), () -> "the driver ended before it could be killed:\n" + log(tmp));
            assertTrue(Files.exists(firstCheckpoint), () -> "no checkpoint within 4 minutes:\n" + log(tmp));
            driver.destroyForcibly(); // SIGKILL: no shutdown hooks, no final save
            driver.waitFor();
            assertFalse(Files.exists(killed.resolve("checkpoints/step_" + STEPS)), "killed before the end");

            ClusterRuns.ok(ClusterRuns.with(pretrain(killed), "resume_from_checkpoint=true"));
        } finally {
            spark.stop();
        }
        ClusterRuns.assertSameRun(straight, killed, STEPS, 1e-6);
    }

    /** The CLI in its own JVM with the same local-cluster settings as {@link LocalCluster#start}. */
    private static Process driverProcess(String[] argv, Path logFile) throws Exception {
        LocalCluster.Classpath classpath = LocalCluster.Classpath.ofThisJvm();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(LocalCluster.executorJavaOptions().split(" ")));
        for (Map.Entry<String, String> e : LocalCluster.conf(2, 1, 1024, classpath).entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        List<String> entries = new ArrayList<>(classpath.directories());
        classpath.jars().forEach(j -> entries.add(j.toString()));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, entries),
                "org.dataflex.driver.cli.DataflexCli"));
        command.addAll(List.of(argv));
        ProcessBuilder builder = new ProcessBuilder(command).directory(LocalCluster.repoRoot().toFile())
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().put("SPARK_HOME", LocalCluster.sparkHome().toString()); // where workers find jars/
        return builder.start();
    }

    private static String log(Path tmp) {
        try {
            return Files.readString(tmp.resolve("driver.log"));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
