package org.dataflex.driver.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.dataflex.driver.exec.StepRecord;
import org.junit.jupiter.api.Test;

class LogWindowTest {
    @Test
    void averagesLossAndReportsThroughputAndSparksShareOfTheRounds() {
        LogWindow w = new LogWindow();
        w.add(new StepRecord(9, 3.0, 1e-3, 0.5, 1000, 990));
        w.add(new StepRecord(10, 2.0, 9e-4, 0.4, 1000, 990));
        w.addSeconds(2.0);
        w.addComputeSeconds(1.9);
        Map<String, Object> r = w.record(10, 0.5, 20_000);
        assertEquals(2.5, (double) r.get("loss"), 1e-12);
        assertEquals(9e-4, (double) r.get("learning_rate"), 1e-15, "the last step's rate");
        assertEquals(0.4, (double) r.get("grad_norm"), 1e-12);
        assertEquals(1000.0, (double) r.get("train_tokens_per_second"), 1e-9);
        assertEquals(0.05, (double) r.get("spark_overhead_share"), 1e-12);
        assertEquals(20_000L, r.get("num_input_tokens_seen"));
    }
}
