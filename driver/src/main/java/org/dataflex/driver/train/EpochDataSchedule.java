package org.dataflex.driver.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dataflex.algorithms.schedule.StaticSchedule;

/** {@code train_type: static}: full passes over the data in seeded orders, no decisions. */
final class EpochDataSchedule implements DataSchedule {
    private final StaticSchedule schedule;
    private final EpochBatchPlan batches;

    EpochDataSchedule(StaticSchedule schedule, long seed) {
        this.schedule = schedule;
        this.batches = new EpochBatchPlan(schedule, seed);
    }

    @Override public String trainType() { return "static"; }
    @Override public int maxSteps() { return schedule.maxSteps(); }
    @Override public int totalBatchSize() { return schedule.totalBatchSize(); }
    @Override public double epochProgress(long step) { return schedule.epochProgress(Math.toIntExact(step)); }
    @Override public BatchPlan batches() { return batches; }
    @Override public void start(long step) {}

    @Override public Map<String, Object> fingerprint() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("steps_per_epoch", schedule.stepsPerEpoch());
        return f;
    }
}
