package org.dataflex.driver.exec;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkEnv;

/**
 * Test-only failure injection inside tasks: halts the executor JVM once, the first time a task reaches a given
 * step, as a crashed or killed executor would. The marker file makes it fire exactly once per test, across
 * retries and executors. Never fires in the driver JVM (local mode), where it would kill the application.
 */
public record FaultInjection(long killTrainingAtStep, long killScoringAtStep, String markerFile)
        implements Serializable {
    public static final String KILL_TRAINING_AT_STEP = "spark.dataflex.test.killExecutorTrainingStep";
    public static final String KILL_SCORING_AT_STEP = "spark.dataflex.test.killExecutorScoringAfterStep";
    public static final String KILL_MARKER = "spark.dataflex.test.killMarker";

    public static FaultInjection none() {
        return new FaultInjection(-1, -1, null);
    }

    /** Called by a training task before it runs optimizer step {@code step}. */
    public void beforeStep(long step) {
        if (step == killTrainingAtStep) killOnce();
    }

    /** Called by a scoring task of the decision after step {@code step}. */
    public void whileScoring(long step) {
        if (step == killScoringAtStep) killOnce();
    }

    private void killOnce() {
        if (markerFile == null) return;
        if ("driver".equals(SparkEnv.get().executorId())) return;
        try {
            Files.createFile(Path.of(markerFile));
        } catch (FileAlreadyExistsException e) {
            return; // already fired once
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().halt(137);
    }
}
