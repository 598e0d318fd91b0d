package org.dataflex.driver.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;

/**
 * {@code checkpoints/step_N/}: the replica's files (weights, optimizer moments, step and RNG state) plus
 * {@code trainer_state.json} (the schedule it belongs to). A checkpoint is written into a staging directory and
 * renamed into place, so a crash never leaves a half checkpoint that resume could pick up.
 */
public final class CheckpointManager {
    public static final String TRAINER_STATE = "trainer_state.json";
    private static final Pattern STEP_DIR = Pattern.compile("step_(\\d+)");

    private final RunDirectory run;
    private final Integer saveTotalLimit;

    public CheckpointManager(RunDirectory run, Integer saveTotalLimit) {
        this.run = run;
        this.saveTotalLimit = saveTotalLimit;
    }

    /** Files a checkpoint needs to resume training; {@code save_only_model} leaves them out. */
    private static final String OPTIMIZER_STATE = "optimizer.safetensors";
    public static final String MODEL_ONLY = "model_only";

    /**
     * Writes {@code checkpoints/step_N}: replica 0's state (the model) and, unless {@code modelOnly}, the
     * {@code extraFiles} (by name) that resuming also needs, e.g. the other local SGD replicas' states.
     */
    public Path save(long step, ReplicaSpec spec, byte[] state, Map<String, byte[]> extraFiles,
                     Map<String, Object> trainerState, boolean modelOnly) {
        Path target = run.checkpoint(step);
        Path staging = AtomicFiles.stagingDirectoryFor(target);
        try (TrainingReplica replica = TrainingReplica.fromBytes(spec, state)) {
            replica.saveCheckpoint(staging);
        }
        if (!modelOnly) {
            extraFiles.forEach((name, bytes) -> AtomicFiles.writeBytes(staging.resolve(name), bytes));
        } else {
            try {
                Files.deleteIfExists(staging.resolve(OPTIMIZER_STATE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            trainerState = new LinkedHashMap<>(trainerState);
            trainerState.put(MODEL_ONLY, true);
        }
        AtomicFiles.writeString(staging.resolve(TRAINER_STATE), Json.pretty(trainerState));
        AtomicFiles.publishDirectory(staging, target);
        rotate();
        return target;
    }

    /** The newest complete checkpoint of this run, if any. */
    public Optional<Path> latest() {
        return list().stream().reduce((a, b) -> b);
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() {
        Path dir = run.checkpoints();
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.exists(p.resolve(TRAINER_STATE)))
                    .sorted(Comparator.comparingLong(CheckpointManager::stepOf))
                    .forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public static long stepOf(Path checkpoint) {
        Matcher m = STEP_DIR.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(checkpoint + " is not a checkpoint directory (step_N)");
        return Long.parseLong(m.group(1));
    }

    /** The named files of a checkpoint that exist (for the extra files {@link #save} wrote). */
    public static Map<String, byte[]> readFiles(Path checkpoint, List<String> names) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : names) {
            Path file = checkpoint.resolve(name);
            if (!Files.exists(file)) continue;
            try {
                files.put(name, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return files;
    }

    public static Map<String, Object> trainerState(Path checkpoint) {
        Path file = checkpoint.resolve(TRAINER_STATE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("resume_from_checkpoint: " + checkpoint
                    + " is not a complete checkpoint (no " + TRAINER_STATE + ")");
        }
        return Json.readMap(file);
    }

    private void rotate() {
        if (saveTotalLimit == null || saveTotalLimit <= 0) return;
        List<Path> all = list();
        for (int i = 0; i < all.size() - saveTotalLimit; i++) AtomicFiles.deleteRecursively(all.get(i));
    }
}
