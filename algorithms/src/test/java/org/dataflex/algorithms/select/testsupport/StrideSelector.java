package org.dataflex.algorithms.select.testsupport;

import java.util.Map;
import java.util.Set;
import org.dataflex.algorithms.select.Selection;
import org.dataflex.algorithms.select.SelectionRequest;
import org.dataflex.algorithms.select.Selector;
import org.dataflex.algorithms.select.SelectorParams;
import org.dataflex.algorithms.select.Signal;

/** A user-style selector loaded by class name in the tests: every {@code stride}-th index, starting at 0. */
public class StrideSelector implements Selector {
    private final int stride;

    public StrideSelector(Map<String, Object> params) {
        this.stride = new SelectorParams("stride", params, Set.of("stride")).getInt("stride", 1);
    }

    public int stride() { return stride; }

    @Override
    public Set<Signal> signals() { return Set.of(); }

    @Override
    public Selection select(SelectionRequest request) {
        int[] indices = new int[request.numSamples()];
        for (int i = 0; i < indices.length; i++) indices[i] = (i * stride) % request.poolSize();
        return Selection.of(indices);
    }
}
