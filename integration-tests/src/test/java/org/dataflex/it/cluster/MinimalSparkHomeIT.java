package org.dataflex.it.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPARK_HOME layout LocalCluster builds: what Spark's launcher needs, refreshed in place, never clobbering. */
class MinimalSparkHomeIT {
    @TempDir Path tmp;

    private Path jar(String dir, String name) throws Exception {
        Path file = Files.createDirectories(tmp.resolve(dir)).resolve(name);
        Files.writeString(file, dir + "/" + name);
        return file;
    }

    private static List<String> links(Path home) throws Exception {
        try (Stream<Path> entries = Files.list(home.resolve("jars"))) {
            return entries.map(p -> p.getFileName() + " -> " + readLink(p)).sorted().collect(Collectors.toList());
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (Exception e) {
            throw new AssertionError(p + " is not a symlink", e);
        }
    }

    @Test
    void linksEveryJarOnceAndKeepsSameNamedJarsApart() throws Exception {
        Path a = jar("g1", "api-1.0.jar");
        Path b = jar("g2", "api-1.0.jar");
        Path c = jar("g3", "core-2.0.jar");
        Path home = MinimalSparkHome.prepare(tmp.resolve("home"), List.of(a, b, c, a), null);

        assertEquals(List.of("1-api-1.0.jar -> " + b, "api-1.0.jar -> " + a, "core-2.0.jar -> " + c), links(home));
        assertTrue(Files.readString(home.resolve("RELEASE")).contains(MinimalSparkHome.MARKER));
        assertTrue(Files.isDirectory(home.resolve("launcher/target/scala-2.12")), "Spark's launcher needs it");
    }

    @Test
    void preparingAgainReplacesTheLinks() throws Exception {
        Path a = jar("g1", "old-1.0.jar");
        Path b = jar("g1", "new-2.0.jar");
        Path log4j = jar("conf", "log4j2.properties");
        Path home = MinimalSparkHome.prepare(tmp.resolve("home"), List.of(a), log4j);
        MinimalSparkHome.prepare(tmp.resolve("home"), List.of(b), log4j);

        assertEquals(List.of("new-2.0.jar -> " + b), links(home));
        assertEquals(log4j, Files.readSymbolicLink(home.resolve("conf/log4j2.properties")));
    }

    @Test
    void refusesADirectoryItDidNotMake() throws Exception {
        Path foreign = Files.createDirectories(tmp.resolve("someone-else"));
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MinimalSparkHome.prepare(foreign, List.of(jar("g", "x.jar")), null));
        assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
        assertEquals("keep me", Files.readString(foreign.resolve("notes.txt")));
    }
}
