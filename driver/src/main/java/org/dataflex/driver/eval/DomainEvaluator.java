package org.dataflex.driver.eval;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.dataflex.datasets.Example;
import org.dataflex.driver.exec.EvalTask;
import org.dataflex.executors.train.ReplicaSpec;

/** Runs per-domain evaluation of one broadcast model state as a single Spark job over the eval set. */
public final class DomainEvaluator {
    private final JavaRDD<Example> evalSet;
    private final int batchSize;

    public DomainEvaluator(JavaRDD<Example> evalSet, int batchSize) {
        this.evalSet = evalSet;
        this.batchSize = batchSize;
    }

    public EvalReport evaluate(String runId, long version, ReplicaSpec spec, Broadcast<byte[]> state) {
        Map<String, double[]> sums = evalSet
                .mapPartitions(new EvalTask(runId, version, spec, state, batchSize))
                .reduce(EvalTask::merge);
        return EvalReport.of(sums);
    }
}
