package org.dataflex.executors.train;

import java.util.List;

/** A training step met a NaN or infinite loss or gradient; no update was applied. */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;
    private final List<String> exampleIds;

    public NonFiniteLossException(long step, String what, double value, List<String> exampleIds) {
        super("non-finite " + what + " (" + value + ") at step " + step + "; no update applied; examples "
                + exampleIds);
        this.step = step;
        this.exampleIds = List.copyOf(exampleIds);
    }

    public long step() { return step; }
    public List<String> exampleIds() { return exampleIds; }
}
