package org.dataflex.driver.config;

import static org.dataflex.driver.config.TestConfigs.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of dynamic train types once a build registers their trainers and components. */
class DynamicTrainTypeConfigTest {
    @TempDir
    Path dir;

    private TrainArgs load(BuildCapabilities caps, String yaml, String... overrides) {
        TestConfigs.write(dir, "train.yaml", yaml);
        return new ConfigLoader(dir, TestConfigs.repoRoot(), caps).loadConfig("train.yaml", List.of(overrides));
    }

    private ConfigException fail(BuildCapabilities caps, String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> load(caps, yaml, overrides));
    }

    private static BuildCapabilities selectWith(String... selectors) {
        BuildCapabilities caps = BuildCapabilities.staticOnly().withTrainType(TrainType.DYNAMIC_SELECT);
        for (String name : selectors) {
            caps = caps.withComponent(ComponentKind.SELECTOR, name);
        }
        return caps;
    }

    @Test
    void builtComponentIsResolvedFromTheDefaultComponentsFileUnderTheHomeDirectory() {
        TrainArgs args = load(selectWith("loss"), MINIMAL + """
                train_type: dynamic_select
                component_name: loss
                warmup_step: 2
                update_step: 3
                """);

        ComponentSpec spec = args.component().orElseThrow();
        assertEquals(ComponentKind.SELECTOR, spec.kind());
        assertEquals("loss", spec.name());
        assertEquals("medium", spec.param("focus"));
        assertEquals(TestConfigs.repoRoot().resolve("conf/components.yaml").toAbsolutePath().normalize().toString(),
                args.componentsCfgFile());
    }

    @Test
    void thePythonComponentsPathMapsToOurFileWithANotice() {
        TrainArgs args = load(selectWith("less"), MINIMAL + """
                train_type: dynamic_select
                components_cfg_file: src/dataflex/configs/components.yaml
                component_name: less
                warmup_step: 1
                update_step: 1
                """);
        assertEquals(4096, args.component().orElseThrow().param("proj_dim"));
        assertTrue(args.notices().get(0).startsWith(
                "components_cfg_file src/dataflex/configs/components.yaml is the Python DataFlex path; using "),
                args.notices().toString());
    }

    @Test
    void knownButUnbuiltComponentSaysWhatIsAvailable() {
        ConfigException error = fail(selectWith("random", "loss"), MINIMAL + """
                train_type: dynamic_select
                component_name: nice
                warmup_step: 1
                update_step: 1
                """);
        assertEquals(List.of("train.yaml:5: component_name: `nice` (selector) is not available in this build yet; "
                + "available now: loss, random"), error.problems());
    }

    @Test
    void unknownComponentListsTheDeclaredNamesWithASuggestion() {
        ConfigException error = fail(selectWith("loss"), MINIMAL + """
                train_type: dynamic_select
                component_name: los
                warmup_step: 1
                update_step: 1
                """);
        String message = error.getMessage();
        assertTrue(message.contains("component_name: unknown selector `los`"), message);
        assertTrue(message.contains("did you mean `loss`"), message);
        assertTrue(message.contains("selectors declared there: nice, less, cluster_less, loss, delta_loss, tsds, "
                + "near, random, static, custom"), message);
    }

    @Test
    void selectTrainerNeedsWarmupAndUpdateSteps() {
        ConfigException error = fail(selectWith("loss"), MINIMAL + "train_type: dynamic_select\ncomponent_name: loss\n");
        String message = error.getMessage();
        assertTrue(message.contains("warmup_step: must be at least 1 for train_type dynamic_select"), message);
        assertTrue(message.contains("update_step: must be at least 1 for train_type dynamic_select"), message);
    }

    @Test
    void mixTrainerNeedsASampleRuleAndStaticMixNeedsNoComponent() {
        BuildCapabilities caps = BuildCapabilities.staticOnly().withTrainType(TrainType.DYNAMIC_MIX);
        String mix = MINIMAL.replace("dataset: wiki_demo", "dataset: wiki_demo,c4_demo")
                + "train_type: dynamic_mix\nstatic_mix: true\ninit_mixture_proportions: [0.3, 0.7]\ntrain_step: 5\n";

        ConfigException error = fail(caps, mix);
        assertTrue(error.getMessage().contains("mixture_sample_rule: is required"), error.getMessage());

        TrainArgs args = load(caps, mix + "mixture_sample_rule: mixture\n");
        assertEquals("mixture", args.mixtureSampleRule());
        assertTrue(args.component().isEmpty(), "static mixing builds no mixer");
    }

    @Test
    void dynamicMixWithoutComponentNameIsAnError() {
        BuildCapabilities caps = BuildCapabilities.staticOnly().withTrainType(TrainType.DYNAMIC_MIX)
                .withComponent(ComponentKind.MIXER, "random");
        ConfigException error = fail(caps, MINIMAL + """
                train_type: dynamic_mix
                mixture_sample_rule: uniform
                warmup_step: 1
                update_step: 1
                """);
        assertEquals(List.of("component_name: is required: train_type dynamic_mix builds the mixer named here "
                + "(see conf/components.yaml)"), error.problems());
    }

    @Test
    void missingComponentsFileIsNamed() {
        ConfigException error = fail(selectWith("loss"), MINIMAL + """
                train_type: dynamic_select
                components_cfg_file: nowhere/components.yaml
                component_name: loss
                warmup_step: 1
                update_step: 1
                """);
        assertTrue(error.getMessage().contains("components_cfg_file: file not found: "
                + dir.resolve("nowhere/components.yaml")), error.getMessage());
    }
}
