package org.dataflex.driver.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;

/**
 * The models an executor JVM keeps between Spark jobs. The training replica of a run stays resident so state
 * travels only when it must; eval replicas are read-only copies of one broadcast state version.
 */
public final class ResidentReplicas {
    private static final Map<String, TrainingReplica> TRAINING = new ConcurrentHashMap<>();
    private static final Map<String, VersionedReplica> EVAL = new ConcurrentHashMap<>();

    private record VersionedReplica(long version, TrainingReplica replica) {}

    private ResidentReplicas() {}

    /**
     * The training replica {@code key} (the run id, or run id # replica) at {@code step}: the resident one if it
     * is there, else one rebuilt from the broadcast state when that state is at {@code step}; otherwise the
     * replica is lost.
     */
    public static TrainingReplica training(String key, long step, long broadcastStep, Supplier<byte[]> broadcast,
                                           ReplicaSpec spec) {
        TrainingReplica resident = TRAINING.get(key);
        if (resident != null && resident.step() == step) return resident;
        if (step != broadcastStep) {
            throw new ReplicaLostException(key, step,
                    resident == null ? "none" : "one at step " + resident.step());
        }
        return rebuild(key, broadcast, spec);
    }

    /**
     * Allreduce replica {@code r} of a run at {@code step}: the resident one; else one rebuilt from the broadcast
     * state when that is at {@code step}; else a copy of another replica of the run resident here at {@code step}
     * (in allreduce every replica at a step has the same weights and moments, so a task that Spark placed on
     * another executor, or a retried one, can continue from any of them). Otherwise the replica is lost.
     */
    public static synchronized TrainingReplica interchangeable(String runId, int r, long step, long broadcastStep,
                                                               Supplier<byte[]> broadcast, ReplicaSpec spec) {
        String key = runId + "#" + r;
        if (holds(key, step)) return TRAINING.get(key);
        if (step == broadcastStep) return rebuild(key, broadcast, spec);
        for (Map.Entry<String, TrainingReplica> other : TRAINING.entrySet()) {
            if (other.getKey().startsWith(runId + "#") && other.getValue().step() == step) {
                byte[] copy = other.getValue().toBytes();
                return rebuild(key, () -> copy, spec);
            }
        }
        TrainingReplica resident = TRAINING.get(key);
        throw new ReplicaLostException(key, step, resident == null ? "none" : "one at step " + resident.step());
    }

    /** True when this JVM holds the replica {@code key} at exactly {@code step}. */
    public static boolean holds(String key, long step) {
        TrainingReplica resident = TRAINING.get(key);
        return resident != null && resident.step() == step;
    }

    /** A fresh replica {@code key} from broadcast state, replacing any resident one. */
    public static TrainingReplica rebuild(String key, Supplier<byte[]> broadcast, ReplicaSpec spec) {
        TrainingReplica rebuilt = TrainingReplica.fromBytes(spec, broadcast.get());
        TrainingReplica previous = TRAINING.put(key, rebuilt);
        if (previous != null && previous != rebuilt) previous.close();
        return rebuilt;
    }

    /** A read-only replica of broadcast state {@code version}, shared by the eval tasks of this JVM. */
    public static synchronized TrainingReplica eval(String runId, long version, Supplier<byte[]> broadcast,
                                                    ReplicaSpec spec) {
        VersionedReplica current = EVAL.get(runId);
        if (current != null && current.version() == version) return current.replica();
        TrainingReplica replica = TrainingReplica.fromBytes(spec, broadcast.get());
        EVAL.put(runId, new VersionedReplica(version, replica));
        if (current != null) current.replica().close();
        return replica;
    }

    /** Drops every model of the run, data-parallel replicas included (end of training, or fault injection). */
    public static synchronized void evict(String runId) {
        TRAINING.keySet().removeIf(key -> {
            if (!key.equals(runId) && !key.startsWith(runId + "#")) return false;
            TRAINING.get(key).close();
            return true;
        });
        VersionedReplica e = EVAL.remove(runId);
        if (e != null) e.replica().close();
    }
}
