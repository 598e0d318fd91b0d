package org.dataflex.driver.exec;

/**
 * The task found no resident replica at the step the round starts from (executor restarted, model evicted, task
 * moved). The driver answers by replaying the round from its last broadcast state.
 */
public final class ReplicaLostException extends RuntimeException {
    public static final String MARKER = "DATAFLEX_REPLICA_LOST";

    public ReplicaLostException(String runId, long wantedStep, String found) {
        super(MARKER + ": run " + runId + " needs a replica at step " + wantedStep + " but this executor has " + found);
    }

    /** Spark wraps task exceptions in its own; the marker survives in the message chain. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains(MARKER)) return true;
        }
        return false;
    }
}
