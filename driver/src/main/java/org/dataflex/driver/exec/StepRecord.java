package org.dataflex.driver.exec;

import java.io.Serializable;

/** The per-step numbers a round sends back to the driver. */
public record StepRecord(long step, double loss, double learningRate, double gradNorm, long inputTokens,
                         long lossTokens) implements Serializable {}
