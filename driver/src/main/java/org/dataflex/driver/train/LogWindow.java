package org.dataflex.driver.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dataflex.driver.exec.StepRecord;

/** The steps since the last log line, averaged as HF logs them, plus the window's throughput. */
final class LogWindow {
    private final List<StepRecord> steps = new ArrayList<>();
    private double seconds;
    private double computeSeconds;

    void add(StepRecord r) { steps.add(r); }

    /** Wall time of the window's Spark rounds on the driver, scheduling and state transfer included. */
    void addSeconds(double s) { seconds += s; }

    /** Time the window's rounds spent training inside their tasks; the rest of the wall time is Spark's. */
    void addComputeSeconds(double s) { computeSeconds += s; }

    double meanLoss() {
        return steps.stream().mapToDouble(StepRecord::loss).average().orElse(Double.NaN);
    }

    Map<String, Object> record(long step, double epoch, long tokensSeen) {
        StepRecord last = steps.get(steps.size() - 1);
        long tokens = steps.stream().mapToLong(StepRecord::inputTokens).sum();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("epoch", epoch);
        r.put("loss", meanLoss());
        r.put("learning_rate", last.learningRate());
        r.put("grad_norm", last.gradNorm());
        r.put("num_input_tokens_seen", tokensSeen);
        r.put("train_tokens_per_second", seconds > 0 ? tokens / seconds : 0.0);
        // scheduling, data shipping, replays and state transfer, as a share of the rounds' wall time
        r.put("spark_overhead_share", seconds > 0 ? Math.max(0, 1 - computeSeconds / seconds) : 0.0);
        return r;
    }
}
