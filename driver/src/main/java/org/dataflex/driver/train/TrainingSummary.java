package org.dataflex.driver.train;

import java.nio.file.Path;
import org.dataflex.driver.eval.EvalReport;

/** What a finished training run reports back to its caller. */
public record TrainingSummary(Path outputDir, long finalStep, long tokensTrained, double trainSeconds,
                              EvalReport finalEval) {

    public double tokensPerSecond() { return trainSeconds > 0 ? tokensTrained / trainSeconds : 0; }
}
