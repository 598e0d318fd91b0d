package org.dataflex.algorithms.select.testsupport;

import java.util.Set;
import org.dataflex.algorithms.select.Selection;
import org.dataflex.algorithms.select.SelectionRequest;
import org.dataflex.algorithms.select.Selector;
import org.dataflex.algorithms.select.Signal;

/** A selector with only a no-arg constructor: always the last num_samples indices of the pool. */
public class NoArgSelector implements Selector {
    @Override
    public Set<Signal> signals() { return Set.of(); }

    @Override
    public Selection select(SelectionRequest request) {
        int[] indices = new int[request.numSamples()];
        for (int i = 0; i < indices.length; i++) indices[i] = request.poolSize() - 1 - i;
        return Selection.of(indices);
    }
}
