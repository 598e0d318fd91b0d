package org.dataflex.driver.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {
    static final ReplicaSpec SPEC = new ReplicaSpec(new ModelConfig(40, 16, 16, 1, 2), null,
            OptimizerSpec.defaults(1e-3, "constant", 0, 10), null, 3);
    static byte[] state;

    @TempDir Path dir;

    @BeforeAll
    static void makeState() {
        try (TrainingReplica r = TrainingReplica.create(SPEC)) {
            state = r.toBytes();
        }
    }

    @Test
    void keepsTheNewestCheckpointsUpToTheLimit() {
        RunDirectory run = new RunDirectory(dir);
        CheckpointManager checkpoints = new CheckpointManager(run, 2);
        for (long step : new long[] {10, 20, 30}) {
            checkpoints.save(step, SPEC, state, Map.of(), Map.of("global_step", step), false);
        }
        assertEquals(List.of(run.checkpoint(20), run.checkpoint(30)), checkpoints.list());
        assertEquals(run.checkpoint(30), checkpoints.latest().orElseThrow());
        assertEquals(30, ((Number) CheckpointManager.trainerState(run.checkpoint(30)).get("global_step")).intValue());
        assertTrue(Files.isRegularFile(run.checkpoint(30).resolve("optimizer.safetensors")));
    }

    @Test
    void incompleteDirectoriesAreNeverPickedForResume() throws Exception {
        RunDirectory run = new RunDirectory(dir);
        CheckpointManager checkpoints = new CheckpointManager(run, null);
        checkpoints.save(10, SPEC, state, Map.of(), Map.of("global_step", 10), false);
        Files.createDirectories(run.checkpoint(20)); // e.g. copied by hand, half done
        assertEquals(run.checkpoint(10), checkpoints.latest().orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointManager.trainerState(run.checkpoint(20)));
        assertTrue(e.getMessage().contains("step_20"), e.getMessage());
    }

    @Test
    void modelOnlyCheckpointsHoldNoOptimizerState() {
        RunDirectory run = new RunDirectory(dir);
        new CheckpointManager(run, null).save(5, SPEC, state, Map.of("peer.bin", new byte[] {1}),
                Map.of("global_step", 5), true);
        assertFalse(Files.exists(run.checkpoint(5).resolve("optimizer.safetensors")));
        assertFalse(Files.exists(run.checkpoint(5).resolve("peer.bin")), "resume-only files are left out");
        assertEquals(true, CheckpointManager.trainerState(run.checkpoint(5)).get(CheckpointManager.MODEL_ONLY));
    }

    @Test
    void extraFilesAreSavedInsideTheCheckpointAndReadBack() {
        RunDirectory run = new RunDirectory(dir);
        new CheckpointManager(run, null).save(7, SPEC, state, Map.of("replica_1_state.safetensors", new byte[] {4, 2}),
                Map.of("global_step", 7), false);
        Map<String, byte[]> read = CheckpointManager.readFiles(run.checkpoint(7),
                List.of("replica_1_state.safetensors", "absent.bin"));
        assertEquals(List.of("replica_1_state.safetensors"), List.copyOf(read.keySet()));
        assertArrayEquals(new byte[] {4, 2}, read.get("replica_1_state.safetensors"));
    }

    @Test
    void stepIsReadFromTheDirectoryName() {
        assertEquals(120, CheckpointManager.stepOf(Path.of("x/checkpoints/step_120")));
        assertThrows(IllegalArgumentException.class, () -> CheckpointManager.stepOf(Path.of("x/ckpt")));
    }
}
