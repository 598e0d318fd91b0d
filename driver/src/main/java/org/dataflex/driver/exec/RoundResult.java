package org.dataflex.driver.exec;

import java.io.Serializable;
import java.util.List;

/**
 * A round's output: its step records, its compute time inside the task, the state when it was asked for, and where
 * each replica now lives (Spark executor locations, by replica), so the next round's tasks go there.
 */
public record RoundResult(List<StepRecord> steps, double computeSeconds, byte[] state, List<String> locations)
        implements Serializable {}
