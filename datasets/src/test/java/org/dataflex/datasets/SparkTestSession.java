package org.dataflex.datasets;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** A small local[2] Spark session for one test class (start in @BeforeAll, stop in @AfterAll). */
public final class SparkTestSession {
    private SparkTestSession() {}

    public static SparkSession start(String appName) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "2")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    public static JavaSparkContext context(SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    public static void stop(SparkSession spark) {
        if (spark != null) spark.stop();
    }
}
