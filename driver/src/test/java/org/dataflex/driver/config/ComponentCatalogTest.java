package org.dataflex.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class ComponentCatalogTest {
    /** Parameters that are file locations: ours point under saves/ instead of ../dataflex_saves/. */
    private static final Set<String> PATH_PARAMS = Set.of("cache_dir", "probs_path", "indices_path",
            "reference_model_path");

    @TempDir
    Path dir;

    private static ComponentCatalog ours() {
        return ComponentCatalog.load(TestConfigs.repoRoot().resolve("conf/components.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> referenceSection(String section) throws IOException {
        Path file = TestConfigs.referenceDir().resolve("components.yaml");
        Map<String, Object> root = new Yaml().load(Files.readString(file));
        return (Map<String, Map<String, Object>>) root.get(section);
    }

    @Test
    void ourComponentsFileListsEveryReferenceComponentWithTheSameDefaults() throws IOException {
        ComponentCatalog catalog = ours();
        for (ComponentKind kind : ComponentKind.values()) {
            Map<String, Map<String, Object>> reference = referenceSection(kind.section());
            java.util.Set<String> extras = new java.util.TreeSet<>(catalog.names(kind));
            extras.removeAll(reference.keySet());
            assertTrue(catalog.names(kind).containsAll(reference.keySet()), kind.section());
            // our additions: the full-data baseline of the selecting trainer
            assertEquals(kind == ComponentKind.SELECTOR ? java.util.Set.of("static") : java.util.Set.of(), extras,
                    kind.section());
            for (String name : reference.keySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> expected = new LinkedHashMap<>((Map<String, Object>) reference.get(name).get("params"));
                Map<String, Object> actual = new LinkedHashMap<>(
                        catalog.markBuilt(kind, name).resolve(kind, name).params());
                assertEquals(expected.keySet(), actual.keySet(), kind.section() + "." + name);
                expected.keySet().removeAll(PATH_PARAMS);
                actual.keySet().removeAll(PATH_PARAMS);
                assertEquals(expected, actual, kind.section() + "." + name);
            }
        }
    }

    @Test
    void ourPathsPointUnderSaves() {
        ComponentCatalog catalog = ours();
        for (ComponentKind kind : ComponentKind.values()) {
            for (String name : catalog.names(kind)) {
                Map<String, Object> params = catalog.markBuilt(kind, name).resolve(kind, name).params();
                for (String key : PATH_PARAMS) {
                    if (params.get(key) != null) {
                        assertTrue(String.valueOf(params.get(key)).startsWith("saves/"), name + "." + key);
                    }
                }
            }
        }
    }

    @Test
    void nothingIsAvailableUntilMarkedBuilt() {
        ConfigException error = assertThrows(ConfigException.class, () -> ours().resolve("selector", "less"));
        assertTrue(error.getMessage().contains(
                "`less` (selector) is not available in this build yet; available now: none"), error.getMessage());

        ComponentCatalog catalog = ours().markBuilt("mixer", "odm");
        ComponentSpec odm = catalog.resolve("mixers", "odm");
        assertEquals(0.9, odm.param("alpha"));
        assertEquals(List.of(0.5, 0.5), odm.param("initial_proportions"));
        assertEquals(Set.of("odm"), catalog.availableNames(ComponentKind.MIXER));
    }

    @Test
    void unknownNameListsTheNamesOfThatKind() {
        ConfigException error = assertThrows(ConfigException.class, () -> ours().resolve("weighter", "random"));
        assertTrue(error.getMessage().contains("unknown weighter `random`"), error.getMessage());
        assertTrue(error.getMessage().contains("weighters declared there: loss, adapt, custom"), error.getMessage());
    }

    @Test
    void unknownKindIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ours().resolve("scheduler", "loss"));
        assertTrue(error.getMessage().contains("expected selector, mixer or weighter"), error.getMessage());
    }

    @Test
    void malformedComponentsFileReportsEveryEntry() throws IOException {
        Path file = dir.resolve("components.yaml");
        Files.writeString(file, """
                selectors:
                  loss:
                    name: lost
                    params: [1, 2]
                  near:
                    name: near
                    parameters: {}
                schedulers: {}
                """);
        ConfigException error = assertThrows(ConfigException.class, () -> ComponentCatalog.load(file));
        assertEquals(List.of(
                "selectors.loss.name: `lost` differs from the entry name `loss`",
                "selectors.loss.params: expected a mapping of parameter names to values",
                "selectors.near: unknown field `parameters` (expected name, params)",
                "unknown section `schedulers`: expected selectors, mixers or weighters"), error.problems());
    }
}
