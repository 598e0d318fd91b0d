package org.dataflex.driver.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.UUID;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.TrainingReplica;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How an allreduce task finds its replica: resident, rebuilt from the broadcast, copied from a sibling, or lost. */
class ResidentReplicasTest {
    static final ReplicaSpec SPEC = new ReplicaSpec(new ModelConfig(50, 32, 16, 1, 2), null,
            OptimizerSpec.defaults(1e-3, "constant", 0, 10), null, 5);
    final String runId = UUID.randomUUID().toString();

    @AfterEach
    void evict() {
        ResidentReplicas.evict(runId);
    }

    static byte[] state() {
        try (TrainingReplica r = TrainingReplica.create(SPEC)) {
            return r.toBytes();
        }
    }

    @Test
    void anAllReduceTaskRebuildsReusesOrCopiesASiblingAtItsStep() {
        byte[] state = state();
        TrainingReplica zero = ResidentReplicas.interchangeable(runId, 0, 0, 0, () -> state, SPEC);
        assertSame(zero, ResidentReplicas.interchangeable(runId, 0, 0, 0, () -> {
            throw new AssertionError("a resident replica is not rebuilt");
        }, SPEC));

        // the broadcast is at another step: replica 1 can only come from replica 0, resident in this JVM
        TrainingReplica one = ResidentReplicas.interchangeable(runId, 1, 0, 7, () -> {
            throw new AssertionError("the broadcast is at step 7");
        }, SPEC);
        assertNotSame(zero, one);
        assertArrayEquals(zero.trainableParameters(), one.trainableParameters(), 0f);
        assertTrue(ResidentReplicas.holds(runId + "#0", 0), "the sibling stays where it was");

        ReplicaLostException lost = assertThrows(ReplicaLostException.class,
                () -> ResidentReplicas.interchangeable(runId, 2, 3, 7, state::clone, SPEC));
        assertTrue(lost.getMessage().contains(runId + "#2"), lost.getMessage());
    }
}
