package org.dataflex.driver.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds (or joins) the SparkSession of a command. Without a master from spark-submit or the config, the job runs
 * embedded on {@code local[*]}. One task per core with one libtorch thread each: more intra-op threads on a busy
 * machine were measured 10x slower.
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession getOrCreate(String appName, Map<String, String> overrides) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        setIfAbsent(conf, "spark.ui.enabled", "false");
        setIfAbsent(conf, "spark.ui.showConsoleProgress", "false");
        setIfAbsent(conf, "spark.sql.shuffle.partitions", "8");
        setIfAbsent(conf, "spark.driver.maxResultSize", "2g");
        setIfAbsent(conf, "spark.executorEnv.OMP_NUM_THREADS", "1");
        setIfAbsent(conf, "spark.executorEnv.OMP_WAIT_POLICY", "passive");
        overrides.forEach(conf::set);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("dataflex.spark.log.level", "WARN"));
        return spark;
    }

    private static void setIfAbsent(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) conf.set(key, value);
    }
}
