package org.dataflex.driver.exec;

import java.io.Serializable;
import java.util.List;

/** A round's output: its step records, its compute time inside the task, and the state when it was asked for. */
public record RoundResult(List<StepRecord> steps, double computeSeconds, byte[] state) implements Serializable {}
