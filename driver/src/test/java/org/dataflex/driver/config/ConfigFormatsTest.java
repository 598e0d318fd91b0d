package org.dataflex.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML, HOCON and JSON spellings of one run load into equal arguments. */
class ConfigFormatsTest {
    @TempDir
    Path dir;

    private TrainArgs loadResource(String name, String... overrides) {
        try {
            Path file = Path.of(getClass().getResource("/config/" + name).toURI());
            return TestConfigs.loader(dir).loadConfig(file.toString(), List.of(overrides));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hoconAndJsonGiveTheSameArgumentsAsYaml() {
        TrainArgs yaml = loadResource("equivalent.yaml");
        TrainArgs hocon = loadResource("equivalent.conf");
        TrainArgs json = loadResource("equivalent.json");

        assertEquals(yaml, hocon);
        assertEquals(yaml, json);
        assertEquals(yaml.asResolvedMap(), hocon.asResolvedMap());
        assertEquals(Map.of("spark.sql.shuffle.partitions", "4"), hocon.sparkConf());
        assertEquals(5e-4, hocon.learningRate());
        assertEquals(List.of("wiki_demo", "c4_demo"), json.dataset());
        assertEquals(20, hocon.saveSteps(), "HOCON substitutions are resolved");
        assertTrue(json.sourcePath().endsWith("equivalent.json"));
    }

    @Test
    void overridesApplyToEveryFormat() {
        for (String name : List.of("equivalent.yaml", "equivalent.conf", "equivalent.json")) {
            TrainArgs args = loadResource(name, "learning_rate=1e-3", "dataset=[wiki_demo]",
                    "init_mixture_proportions=null");
            assertEquals(1e-3, args.learningRate(), name);
            assertEquals(List.of("wiki_demo"), args.dataset(), name);
        }
    }

    @Test
    void hoconProblemsCarryTheirLine() {
        TestConfigs.write(dir, "bad.conf", """
                model_name_or_path = "preset:gpt-micro"
                dataset = wiki_demo
                output_dir = out
                learning_rate = quick
                """);
        ConfigException error = assertThrows(ConfigException.class,
                () -> TestConfigs.loader(dir).loadConfig("bad.conf", List.of()));
        assertEquals(List.of("bad.conf:4: learning_rate: expected a number, got `quick`"), error.problems());
    }

    @Test
    void invalidJsonIsReported() {
        TestConfigs.write(dir, "bad.json", "{\"dataset\": ");
        ConfigException error = assertThrows(ConfigException.class,
                () -> TestConfigs.loader(dir).loadConfig("bad.json", List.of()));
        assertTrue(error.getMessage().contains("not valid JSON"), error.getMessage());
    }
}
