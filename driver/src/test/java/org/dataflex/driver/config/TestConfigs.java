package org.dataflex.driver.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared fixtures: repository locations, a minimal valid config, and helpers to load from a temp directory. */
final class TestConfigs {
    /** The smallest config that loads: a preset model, one dataset, an output directory. */
    static final String MINIMAL = """
            model_name_or_path: preset:gpt-micro
            dataset: wiki_demo
            output_dir: out/run
            """;

    private TestConfigs() {
    }

    static Path repoRoot() {
        String root = System.getProperty("dataflex.repo.root");
        Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(path.resolve("conf/components.yaml")),
                "repository root without conf/components.yaml: " + path);
        return path;
    }

    /** The Python DataFlex snapshot kept beside the repository (../shared/reference). */
    static Path referenceDir() {
        Path dir = repoRoot().resolve("../shared/reference/dataflex-3c13e37").normalize();
        assertTrue(Files.isDirectory(dir.resolve("examples")), "reference DataFlex snapshot missing at " + dir);
        return dir;
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigLoader loader(Path workingDir) {
        return new ConfigLoader(workingDir, repoRoot(), BuildCapabilities.staticOnly());
    }

    static TrainArgs load(Path workingDir, String yaml, String... overrides) {
        write(workingDir, "train.yaml", yaml);
        return loader(workingDir).loadConfig("train.yaml", List.of(overrides));
    }

    static ConfigException fail(Path workingDir, String yaml, String... overrides) {
        write(workingDir, "train.yaml", yaml);
        return assertThrows(ConfigException.class,
                () -> loader(workingDir).loadConfig("train.yaml", List.of(overrides)));
    }

    /** Every dynamic train type and every component name of conf/components.yaml marked as built. */
    static BuildCapabilities everything() {
        BuildCapabilities caps = BuildCapabilities.staticOnly();
        for (TrainType type : TrainType.values()) {
            caps = caps.withTrainType(type);
        }
        ComponentCatalog catalog = ComponentCatalog.load(repoRoot().resolve("conf/components.yaml"));
        for (ComponentKind kind : ComponentKind.values()) {
            for (String name : catalog.names(kind)) {
                caps = caps.withComponent(kind, name);
            }
        }
        return caps;
    }
}
