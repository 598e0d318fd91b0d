package org.dataflex.driver.exec;

import java.io.Serializable;

/**
 * What one training round's task does: starting from the replica state at {@code fromStep}, run one optimizer step
 * per entry of {@code steps} ({@code steps[k][m]} = dataset indices of micro-batch m of step fromStep+k+1).
 * The first {@code replaySteps} steps rebuild a lost replica and report nothing. {@code returnState} asks for the
 * full state back (checkpoint, eval, end of training).
 */
public record RoundPlan(String runId, long fromStep, long[][][] steps, int replaySteps, boolean returnState)
        implements Serializable {

    public long toStep() { return fromStep + steps.length; }
}
