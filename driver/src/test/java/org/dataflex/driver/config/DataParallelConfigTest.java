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
