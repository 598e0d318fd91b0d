package org.dataflex.algorithms.select;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dataflex.algorithms.select.testsupport.NoArgSelector;
import org.dataflex.algorithms.select.testsupport.StrideSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SelectorFactoryTest {

    private static final String SUPPORT = "org.dataflex.algorithms.select.testsupport.";

    private static SelectionRequest request(int k, int n) {
        return new SelectionRequest(1, k, n, 1, 1, PoolSignals.none());
    }

    private static String failure(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void buildsEveryShippedSelectorFromItsYamlParams() {
        assertInstanceOf(RandomSelector.class,
                SelectorFactory.create("random", Map.of("cache_dir", "../saves/random", "seed", 42,
                        "replacement", false)));
        assertInstanceOf(StaticSelector.class, SelectorFactory.create("static", null));
        assertInstanceOf(LossSelector.class,
                SelectorFactory.create("loss", Map.of("cache_dir", "../saves/loss", "focus", "medium")));
        assertInstanceOf(DeltaLossSelector.class,
                SelectorFactory.create("delta_loss", Map.of("cache_dir", "x", "window_size", 0.2)));
        assertInstanceOf(TemplateSelector.class, SelectorFactory.create("custom", Map.of("cache_dir", "x")));
        assertEquals(java.util.List.of("random", "static", "loss", "delta_loss", "custom"), SelectorFactory.names());
    }

    @Test
    void nullValuedParamsMeanTheDefault() {
        Map<String, Object> params = new HashMap<>();
        params.put("seed", null);
        params.put("cache_dir", null);
        RandomSelector selector = (RandomSelector) SelectorFactory.create("random", params);
        assertEquals(42, selector.seed());
        assertEquals(7, ((RandomSelector) SelectorFactory.create("random", Map.of("seed", 7L))).seed());
        assertEquals(7, ((RandomSelector) SelectorFactory.create("random", Map.of("seed", 7.0))).seed());
    }

    @Test
    void unknownNamesAndKeysAndWrongTypesAreRejected() {
        String unknownName = failure(() -> SelectorFactory.create("Loss", Map.of()));
        assertTrue(unknownName.contains("'Loss'") && unknownName.contains("delta_loss"), unknownName);

        String unknownKey = failure(() -> SelectorFactory.create("loss", Map.of("focuss", "high")));
        assertTrue(unknownKey.contains("'loss'") && unknownKey.contains("'focuss'")
                && unknownKey.contains("focus, focus_weight"), unknownKey);

        String wrongType = failure(() -> SelectorFactory.create("random", Map.of("replacement", "no")));
        assertTrue(wrongType.contains("'random'") && wrongType.contains("'replacement'")
                && wrongType.contains("\"no\""), wrongType);
        assertTrue(failure(() -> SelectorFactory.create("random", Map.of("seed", 1.5))).contains("integer"));
        assertTrue(failure(() -> SelectorFactory.create("static", Map.of("seed", 1))).contains("'seed'"));
        assertTrue(failure(() -> SelectorFactory.create(null, Map.of())).contains("component_name"));
    }

    @Test
    void templateCustomSelectorReturnsTheFirstIndices() {
        Selector template = SelectorFactory.create("custom", null);
        assertArrayEquals(new int[] {0, 1, 2, 3}, template.select(request(4, 10)).indices());
        assertTrue(template.signals().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> template.select(request(11, 10)));
    }

    @Test
    void customClassIsLoadedWithItsOwnParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("class_name", SUPPORT + "StrideSelector");
        params.put("cache_dir", "ignored");
        params.put("stride", 3);
        Selector selector = SelectorFactory.create("custom", params);
        assertInstanceOf(StrideSelector.class, selector);
        assertEquals(3, ((StrideSelector) selector).stride());
        assertArrayEquals(new int[] {0, 3, 6, 9, 2}, selector.select(request(5, 10)).indices());
        // the user class validates its own keys
        params.put("strides", 2);
        assertTrue(failure(() -> SelectorFactory.create("custom", params)).contains("'strides'"));
    }

    @Test
    void customClassWithOnlyANoArgConstructor() {
        Selector selector = SelectorFactory.create("custom",
                Map.of("class_name", SUPPORT + "NoArgSelector", "cache_dir", "x"));
        assertInstanceOf(NoArgSelector.class, selector);
        assertArrayEquals(new int[] {9, 8}, selector.select(request(2, 10)).indices());
        String extra = failure(() -> SelectorFactory.create("custom",
                Map.of("class_name", SUPPORT + "NoArgSelector", "depth", 2)));
        assertTrue(extra.contains("no-arg") && extra.contains("depth"), extra);
    }

    @Test
    void customClassErrorsAreClear() {
        String missing = failure(() -> SelectorFactory.create("custom", Map.of("class_name", "com.example.Nope")));
        assertTrue(missing.contains("com.example.Nope") && missing.contains("not found"), missing);
        String notSelector = failure(() -> SelectorFactory.create("custom",
                Map.of("class_name", SUPPORT + "NotASelector")));
        assertTrue(notSelector.contains("does not implement") && notSelector.contains("Selector"), notSelector);
        String noConstructor = failure(() -> SelectorFactory.create("custom",
                Map.of("class_name", SUPPORT + "StringConstructorSelector")));
        assertTrue(noConstructor.contains("no usable constructor"), noConstructor);
        String abstractType = failure(() -> SelectorFactory.create("custom",
                Map.of("class_name", Selector.class.getName())));
        assertTrue(abstractType.contains("abstract"), abstractType);
        String badName = failure(() -> SelectorFactory.create("custom", Map.of("class_name", 5)));
        assertTrue(badName.contains("class_name"), badName);
    }
}
