package org.dataflex.driver.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writeReplacesWholeFilesAndLeavesNoTemporaries() throws Exception {
        Path f = dir.resolve("a/b/out.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temp files left");
        }
    }

    @Test
    void publishedDirectoryAppearsCompleteOrNotAtAll() throws Exception {
        Path target = dir.resolve("checkpoints/step_5");
        Path staging = AtomicFiles.stagingDirectoryFor(target);
        Files.writeString(staging.resolve("model.safetensors"), "weights");
        assertFalse(Files.exists(target), "nothing visible before publishing");
        AtomicFiles.publishDirectory(staging, target);
        assertEquals("weights", Files.readString(target.resolve("model.safetensors")));

        Path again = AtomicFiles.stagingDirectoryFor(target);
        Files.writeString(again.resolve("model.safetensors"), "newer");
        AtomicFiles.publishDirectory(again, target);
        assertEquals("newer", Files.readString(target.resolve("model.safetensors")));
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertEquals(1, s.count(), "old copies and staging directories are gone");
        }
    }
}
