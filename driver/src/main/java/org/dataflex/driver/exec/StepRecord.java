package org.dataflex.driver.exec;

import java.io.Serializable;
import org.dataflex.executors.train.StepResult;

/** The per-step numbers a round sends back to the driver. */
public record StepRecord(long step, double loss, double learningRate, double gradNorm, long inputTokens,
                         long lossTokens) implements Serializable {

    public static StepRecord of(StepResult r) {
        return new StepRecord(r.step(), r.loss(), r.learningRate(), r.gradNorm(), r.inputTokens(), r.lossTokens());
    }
}
