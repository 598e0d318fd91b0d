package org.dataflex.executors.train;

import java.io.Serializable;

/**
 * Outcome of one optimizer step: the objective (mean over micro-batches of each micro-batch's token-mean loss),
 * the learning rate used, the global gradient norm before clipping, real input tokens and loss tokens, and the
 * step counter after the update.
 */
public record StepResult(double loss, double learningRate, double gradNorm, long inputTokens, long lossTokens,
                         long step) implements Serializable {}
