package org.dataflex.algorithms.select;

import java.util.Map;
import java.util.Set;

/**
 * {@code custom} without a {@code class_name}: the reference's template selector (spec §4.2). It always returns
 * {@code [0, 1, …, num_samples−1]}, has no state and needs no signals. It exists so a config written for the
 * reference's template runs unchanged; to select with your own rule, set {@code class_name} (see {@link Selector}).
 */
public final class TemplateSelector implements Selector {

    @Override
    public Set<Signal> signals() {
        return Set.of();
    }

    @Override
    public Selection select(SelectionRequest request) {
        int k = request.numSamples();
        if (k > request.poolSize()) {
            throw new IllegalArgumentException("selector 'custom' (template) returns indices 0..num_samples-1 but"
                    + " num_samples=" + k + " exceeds the " + request.poolSize() + " training examples");
        }
        int[] indices = new int[k];
        for (int i = 0; i < k; i++) indices[i] = i;
        return Selection.of(indices);
    }

    /** Accepts only {@code cache_dir} (ignored). */
    static TemplateSelector fromParams(Map<String, Object> params) {
        new SelectorParams("custom", params, Set.of("class_name"));
        return new TemplateSelector();
    }
}
