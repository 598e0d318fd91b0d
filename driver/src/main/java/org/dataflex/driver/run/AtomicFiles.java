package org.dataflex.driver.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that never leave a half-written file or directory behind: stage next to the target, then rename. Single
 * files use the executors' implementation; directories (checkpoints, exports) are staged here.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void writeString(Path target, String content) {
        org.dataflex.executors.io.AtomicFiles.writeString(target, content);
    }

    public static void writeBytes(Path target, byte[] content) {
        org.dataflex.executors.io.AtomicFiles.writeBytes(target, content);
    }

    /** A fresh staging directory beside {@code target}, to be published with {@link #publishDirectory}. */
    public static Path stagingDirectoryFor(Path target) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "." + target.getFileName() + ".staging-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory for " + target, e);
        }
    }

    /** Renames a completed staging directory onto {@code target}, replacing an older copy. */
    public static void publishDirectory(Path staging, Path target) {
        try {
            if (Files.exists(target)) {
                Path old = staging.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                move(target, old);
                move(staging, target);
                deleteRecursively(old);
            } else {
                move(staging, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + target + ": " + e.getMessage(), e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
