package org.dataflex.driver.train;

import java.util.Map;
import org.dataflex.driver.exec.RoundResult;

/** How a round's optimizer steps run on the executors: one replica, allreduce replicas or local SGD replicas. */
interface ReplicaRounds {
    /**
     * Runs steps {@code start+1 .. to} from the replicas' state at {@code start} (the resident replicas, or the
     * runner's broadcast state when {@code start} is its step), reporting the steps after {@code from}; with
     * {@code returnState} the state after {@code to} comes back and is published.
     */
    RoundResult run(RoundRunner runner, long start, long from, long to, boolean returnState);

    /** Forgets what the lost attempt left behind; the next attempt starts from the runner's broadcast state. */
    default void restartFromBroadcast() {}

    /** Files a checkpoint of the runner's published state needs beyond replica 0's (by file name). */
    default Map<String, byte[]> checkpointFiles(RoundRunner runner) {
        return Map.of();
    }
}
