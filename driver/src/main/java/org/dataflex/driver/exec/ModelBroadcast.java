package org.dataflex.driver.exec;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * The last model state the driver holds, as broadcast to executors: replica 0's state (the model: eval, scoring
 * and rebuilding any allreduce replica use it), the other replicas' states when they differ (local SGD keeps
 * per-replica AdamW moments), and the step they are at. Tasks rebuild lost replicas from it.
 */
public record ModelBroadcast(Broadcast<byte[]> modelState, Broadcast<List<byte[]>> peerStates, long step)
        implements Serializable {

    public byte[] model() {
        return modelState.value();
    }

    /** Replica {@code r}'s state: the model's unless the peers were broadcast separately. */
    public byte[] replica(int r) {
        if (r == 0 || peerStates == null) return modelState.value();
        return peerStates.value().get(r - 1);
    }
}
