package org.dataflex.driver.config;

import static org.dataflex.driver.config.TestConfigs.MINIMAL;
import static org.dataflex.driver.config.TestConfigs.fail;
import static org.dataflex.driver.config.TestConfigs.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataParallelConfigTest {
    @TempDir Path dir;

    @Test
    void defaultsToOneReplica() {
        TrainArgs args = load(dir, MINIMAL);
        assertEquals("none", args.syncMode());
        assertEquals(1, args.numReplicas());
    }

    @Test
    void allReduceReplicasAreRead() {
        TrainArgs args = load(dir, MINIMAL + "gradient_accumulation_steps: 4\n", "sync_mode=allreduce",
                "num_replicas=2");
        assertEquals("allreduce", args.syncMode());
        assertEquals(2, args.numReplicas());
    }

    @Test
    void localSgdSettingsAreRead() {
        TrainArgs args = load(dir, MINIMAL + "gradient_accumulation_steps: 4\n", "sync_mode=local_sgd",
                "num_replicas=4", "sync_every=16", "outer_lr=0.7", "outer_momentum=0.9");
        assertEquals("local_sgd", args.syncMode());
        assertEquals(16, args.syncEvery());
        assertEquals(0.7, args.outerLr());
        assertEquals(0.9, args.outerMomentum());
        TrainArgs defaults = load(dir, MINIMAL + "gradient_accumulation_steps: 2\n", "sync_mode=local_sgd",
                "num_replicas=2");
        assertEquals(8, defaults.syncEvery());
        assertEquals(1.0, defaults.outerLr(), "plain averaging by default");
        assertEquals(0.0, defaults.outerMomentum());
    }

    @Test
    void localSgdSettingsAreCheckedNamingTheirKeys() {
        String message = fail(dir, MINIMAL, "sync_every=4").getMessage();
        assertTrue(message.contains("sync_every") && message.contains("only applies to sync_mode: local_sgd"),
                message);
        message = fail(dir, MINIMAL + "gradient_accumulation_steps: 2\n", "sync_mode=local_sgd", "num_replicas=2",
                "sync_every=0", "outer_lr=0", "outer_momentum=1").getMessage();
        assertTrue(message.contains("sync_every") && message.contains("outer_lr")
                && message.contains("outer_momentum"), message);
        message = fail(dir, MINIMAL, "sync_mode=local_sgd", "num_replicas=2").getMessage();
        assertTrue(message.contains("local_sgd splits each step's gradient_accumulation_steps"), message);
    }

    @Test
    void inconsistentSettingsNameTheirKeys() {
        String message = fail(dir, MINIMAL, "num_replicas=2").getMessage();
        assertTrue(message.contains("num_replicas") && message.contains("sync_mode"), message);
        message = fail(dir, MINIMAL + "gradient_accumulation_steps: 2\n", "sync_mode=allreduce", "num_replicas=3")
                .getMessage();
        assertTrue(message.contains("num_replicas <= gradient_accumulation_steps (2)"), message);
        message = fail(dir, MINIMAL, "sync_mode=ring").getMessage();
        assertTrue(message.contains("sync_mode"), message);
    }
}
