package org.dataflex.it.cluster;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Two executor JVMs from Maven jars, each loading libtorch through DJL offline with one thread. */
class LocalClusterIT {

    /** What one task saw in its executor JVM. */
    record ExecutorReport(long pid, String engine, float sum, String djlOffline, String torchThreads, String omp)
            implements Serializable {}

    static ExecutorReport probeExecutor() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            float sum = manager.create(new float[] {1.5f, 2f, 3f, 4f}).sum().getFloat();
            return new ExecutorReport(ManagementFactory.getRuntimeMXBean().getPid(), engine.getEngineName(), sum,
                    System.getProperty("ai.djl.offline"), System.getProperty("ai.djl.pytorch.num_threads"),
                    System.getenv("OMP_NUM_THREADS"));
        }
    }

    @Test
    void twoExecutorJvmsEachRunPyTorch() {
        SparkSession spark = LocalCluster.start(2, 1, 1024);
        try {
            assertTrue(spark.sparkContext().master().startsWith("local-cluster[2,1,1024]"),
                    spark.sparkContext().master());
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<ExecutorReport> reports = jsc.parallelize(List.of(0, 1), 2).map(i -> probeExecutor()).collect();

            long driverPid = ManagementFactory.getRuntimeMXBean().getPid();
            Set<Long> pids = reports.stream().map(ExecutorReport::pid).collect(Collectors.toSet());
            assertEquals(2, pids.size(), "one task per executor JVM: " + reports);
            assertFalse(pids.contains(driverPid), "tasks must run outside the driver JVM " + driverPid + ": " + reports);
            for (ExecutorReport r : reports) {
                assertEquals("PyTorch", r.engine(), r.toString());
                assertEquals(10.5f, r.sum(), 1e-6f, r.toString());
                assertEquals("true", r.djlOffline(), r.toString());
                assertEquals("1", r.torchThreads(), r.toString());
                assertEquals("1", r.omp(), r.toString());
            }
        } finally {
            spark.stop();
        }
    }
}
