package org.dataflex.driver.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.SampleLosses;
import org.dataflex.executors.train.TrainingReplica;

/** Per-domain token-weighted loss sums over one partition of an eval set. */
public final class EvalTask implements FlatMapFunction<Iterator<Example>, Map<String, double[]>> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final long version;
    private final ReplicaSpec spec;
    private final Broadcast<byte[]> state;
    private final int batchSize;

    public EvalTask(String runId, long version, ReplicaSpec spec, Broadcast<byte[]> state, int batchSize) {
        this.runId = runId;
        this.version = version;
        this.spec = spec;
        this.state = state;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Map<String, double[]>> call(Iterator<Example> rows) {
        Map<String, double[]> sums = new TreeMap<>(); // domain -> {loss sum, tokens, examples}
        if (!rows.hasNext()) return List.of(sums).iterator();
        TrainingReplica replica = ResidentReplicas.eval(runId, version, state::value, spec);
        List<Example> batch = new ArrayList<>(batchSize);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == batchSize || !rows.hasNext()) {
                accumulate(replica.sampleLosses(batch), batch, sums);
                batch.clear();
            }
        }
        return List.of(sums).iterator();
    }

    private static void accumulate(SampleLosses losses, List<Example> batch, Map<String, double[]> sums) {
        for (int i = 0; i < batch.size(); i++) {
            double[] s = sums.computeIfAbsent(batch.get(i).domain(), d -> new double[3]);
            s[0] += losses.lossSums()[i];
            s[1] += losses.tokenCounts()[i];
            s[2] += 1;
        }
    }

    /** Merges two partial results (Spark's reduce). */
    public static Map<String, double[]> merge(Map<String, double[]> a, Map<String, double[]> b) {
        Map<String, double[]> out = new TreeMap<>(a);
        b.forEach((domain, s) -> out.merge(domain, s.clone(),
                (x, y) -> new double[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]}));
        return out;
    }
}
