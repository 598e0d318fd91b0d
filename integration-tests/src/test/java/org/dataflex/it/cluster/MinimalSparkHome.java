package org.dataflex.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A SPARK_HOME made of symlinks to Maven jars, the Java twin of {@code scripts/spark-home.sh}: Spark's
 * local-cluster mode and standalone workers start executor JVMs with {@code $SPARK_HOME/jars/*} as classpath.
 */
final class MinimalSparkHome {
    static final String MARKER = "DataFlex minimal SPARK_HOME (scripts/spark-home.sh)";

    private MinimalSparkHome() {}

    /**
     * Makes {@code dir} a SPARK_HOME whose {@code jars/} links every file of {@code jars}; refreshes the links when
     * it already is one. Refuses a non-empty directory it did not make.
     */
    static Path prepare(Path dir, List<Path> jars, Path log4jConfig) {
        try {
            Path home = dir.toAbsolutePath().normalize();
            Path release = home.resolve("RELEASE");
            if (Files.isDirectory(home) && !isEmpty(home)
                    && !(Files.isRegularFile(release) && Files.readString(release).contains(MARKER))) {
                throw new IllegalStateException(home + " is not empty and is not a minimal SPARK_HOME; choose another");
            }
            Path jarsDir = Files.createDirectories(home.resolve("jars"));
            // Spark reads jars/ only when RELEASE marks a distribution; it needs the Scala version, which a real
            // distribution exports from bin/load-spark-env.sh, and otherwise finds from this directory's name.
            Files.writeString(release, MARKER + "\n");
            Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
            deleteLinks(jarsDir);
            Set<Path> targets = new LinkedHashSet<>();
            jars.forEach(jar -> targets.add(jar.toAbsolutePath().normalize()));
            Set<String> names = new HashSet<>();
            int collisions = 0;
            for (Path target : targets) {
                String name = target.getFileName().toString();
                // two artifacts with one file name (different groups) both stay: the later gets a numbered name
                if (!names.add(name)) name = (++collisions) + "-" + name;
                Files.createSymbolicLink(jarsDir.resolve(name), target);
            }
            if (log4jConfig != null && Files.isRegularFile(log4jConfig)) {
                Path link = Files.createDirectories(home.resolve("conf")).resolve("log4j2.properties");
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, log4jConfig.toAbsolutePath().normalize());
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare SPARK_HOME at " + dir, e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteLinks(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (Files.isSymbolicLink(p)) Files.delete(p);
            }
        }
    }
}
