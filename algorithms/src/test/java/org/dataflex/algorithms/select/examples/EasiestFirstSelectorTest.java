package org.dataflex.algorithms.select.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dataflex.algorithms.select.PoolSignals;
import org.dataflex.algorithms.select.Selection;
import org.dataflex.algorithms.select.SelectionRequest;
import org.dataflex.algorithms.select.Selector;
import org.dataflex.algorithms.select.SelectorFactory;
import org.dataflex.algorithms.select.Signal;
import org.junit.jupiter.api.Test;

class EasiestFirstSelectorTest {

    private static final String CLASS = EasiestFirstSelector.class.getName();
    private static final double[] LOSSES = {2.0, 0.5, Double.NaN, 0.5, 3.0, 1.0};

    private static SelectionRequest request(int k) {
        return new SelectionRequest(4, k, LOSSES.length, 1, 1, PoolSignals.ofLosses(LOSSES));
    }

    @Test
    void pluggedThroughTheFactoryItTakesTheLowestLossesFirst() {
        Selector selector = SelectorFactory.create("custom", Map.of("class_name", CLASS, "cache_dir", "x"));
        assertEquals(Set.of(Signal.LOSS), selector.signals());
        Selection selection = selector.select(request(3));
        assertArrayEquals(new int[] {1, 3, 5}, selection.indices(), "ties by index");
        assertEquals(List.of(0.5, 0.5, 1.0), selection.metric().get("loss"));
    }

    @Test
    void hardestFirstReversesTheOrderAndMissingLossesComeLast() {
        Selector selector = SelectorFactory.create("custom", Map.of("class_name", CLASS, "hardest_first", true));
        assertArrayEquals(new int[] {4, 0, 5, 1, 3, 2}, selector.select(request(6)).indices());
        assertThrows(IllegalArgumentException.class,
                () -> SelectorFactory.create("custom", Map.of("class_name", CLASS, "hardest_first", "yes")));
    }
}
