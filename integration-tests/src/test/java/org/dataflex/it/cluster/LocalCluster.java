package org.dataflex.it.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's local-cluster mode for tests: a master and N workers inside this JVM, each worker starting one executor
 * in its own JVM, so models, libtorch and GradientCollectors really are per-executor as on a cluster. Executors run
 * from a minimal SPARK_HOME under integration-tests/target whose jars/ links the test classpath's jars; this JVM's
 * class directories (test classes, modules built to target/classes) go on their extraClassPath.
 */
public final class LocalCluster {
    /** How long SparkContext creation waits for every executor to register before it gives up waiting. */
    private static final String REGISTRATION_WAIT = "120s";

    private LocalCluster() {}

    /** Starts {@code executors} executor JVMs of {@code coresPerExecutor} cores and {@code memoryMb} MB heap. */
    public static SparkSession start(int executors, int coresPerExecutor, int memoryMb) {
        return start(executors, coresPerExecutor, memoryMb, Map.of());
    }

    /**
     * As {@link #start(int, int, int)}, with more Spark settings (applied last). Returns once all executors have
     * registered (or after {@value #REGISTRATION_WAIT}); stop the session when done.
     */
    public static SparkSession start(int executors, int coresPerExecutor, int memoryMb, Map<String, String> conf) {
        if (executors < 1 || coresPerExecutor < 1 || memoryMb < 256) {
            throw new IllegalArgumentException("local cluster needs executors >= 1, cores >= 1, memory >= 256 MB; got "
                    + executors + ", " + coresPerExecutor + ", " + memoryMb);
        }
        if (SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined()) {
            throw new IllegalStateException("a SparkSession already runs in this JVM; stop it before starting a local"
                    + " cluster (each *IT class gets its own JVM)");
        }
        Classpath classpath = Classpath.ofThisJvm();
        Path home = MinimalSparkHome.prepare(sparkHome(), classpath.jars(), repoRoot().resolve("conf/log4j2.properties"));

        SparkConf sparkConf = new SparkConf(true).setAppName("dataflex local-cluster test")
                .set("spark.home", home.toString());
        conf(executors, coresPerExecutor, memoryMb, classpath).forEach(sparkConf::set);
        conf.forEach(sparkConf::set);
        startContext(sparkConf, home);
        return SparkSession.builder().getOrCreate();
    }

    /** The Spark settings of a local cluster whose executors run this JVM's classpath. */
    static Map<String, String> conf(int executors, int coresPerExecutor, int memoryMb, Classpath classpath) {
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        conf.put("spark.master", "local-cluster[" + executors + "," + coresPerExecutor + "," + memoryMb + "]");
        conf.put("spark.executor.memory", memoryMb + "m");
        conf.put("spark.executor.extraClassPath", String.join(File.pathSeparator, classpath.directories()));
        conf.put("spark.executor.extraJavaOptions", executorJavaOptions());
        conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.put("spark.executorEnv.OMP_WAIT_POLICY", "passive");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.ui.showConsoleProgress", "false");
        conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", REGISTRATION_WAIT);
        return conf;
    }

    /** The SPARK_HOME the executors run from (rebuilt by every {@link #start}). */
    public static Path sparkHome() {
        return repoRoot().resolve("integration-tests/target/spark-home");
    }

    static Path repoRoot() {
        String root = System.getProperty("dataflex.repo.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property dataflex.repo.root (the repository root) is not set;"
                    + " Surefire sets it from the parent pom");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** Spark's Java 17 flags (.mvn/jvm.config, shared with Maven and scripts), DJL offline, one libtorch thread. */
    static String executorJavaOptions() {
        Path flagsFile = repoRoot().resolve(".mvn/jvm.config");
        try {
            String sparkFlags = Files.readString(flagsFile).trim().replaceAll("\\s+", " ");
            return sparkFlags + " -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1"
                    + " -Dai.djl.pytorch.num_interop_threads=1 -Djava.awt.headless=true";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Spark's Java flags from " + flagsFile, e);
        }
    }

    /**
     * Workers take their SPARK_HOME from the environment, which a running JVM cannot change, except in Spark's test
     * mode, where they read the {@code spark.test.home} system property instead (as Spark's own suites do). Both
     * properties are set only while the context, and with it the in-process workers, is being built: the
     * application's SparkConf was read before, so executors never see test mode.
     */
    private static void startContext(SparkConf sparkConf, Path home) {
        String testing = System.getProperty("spark.testing");
        String testHome = System.getProperty("spark.test.home");
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", home.toString());
        try {
            new SparkContext(sparkConf);
        } finally {
            restore("spark.testing", testing);
            restore("spark.test.home", testHome);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    /** This JVM's classpath split into jars (for SPARK_HOME/jars) and directories (for extraClassPath). */
    record Classpath(List<Path> jars, List<String> directories) {
        static Classpath ofThisJvm() {
            // Surefire may start tests through a manifest-only jar; it then keeps the real list here.
            String value = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<Path> jars = new ArrayList<>();
            List<String> directories = new ArrayList<>();
            for (String entry : value.split(File.pathSeparator)) {
                if (entry.isBlank()) continue;
                Path path = Path.of(entry).toAbsolutePath().normalize();
                if (Files.isDirectory(path)) directories.add(path.toString());
                else if (Files.isRegularFile(path) && entry.endsWith(".jar")) jars.add(path);
            }
            if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("spark-core_"))) {
                throw new IllegalStateException("spark-core is not among this JVM's classpath jars; cannot build a"
                        + " SPARK_HOME for executors from: " + value);
            }
            return new Classpath(jars, directories);
        }
    }
}
