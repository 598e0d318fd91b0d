package org.dataflex.driver.exec;

import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockManagerId;

/**
 * Where a task ran, in the form Spark's scheduler accepts as a preferred location for a specific executor
 * ({@code executor_<host>_<id>}): the next round's task is placed where the resident replica lives.
 */
public final class ExecutorLocation {
    private ExecutorLocation() {}

    public static String current() {
        BlockManagerId id = SparkEnv.get().blockManager().blockManagerId();
        return "executor_" + id.host() + "_" + id.executorId();
    }
}
