package org.dataflex.algorithms.select.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.dataflex.algorithms.select.JsonNumbers;
import org.dataflex.algorithms.select.Selection;
import org.dataflex.algorithms.select.SelectionRequest;
import org.dataflex.algorithms.select.Selector;
import org.dataflex.algorithms.select.SelectorParams;
import org.dataflex.algorithms.select.Signal;

/**
 * Example of a user selector, meant to be copied: a deterministic easy-first curriculum. Each selection takes the
 * {@code num_samples} samples with the lowest current loss (ties by index; missing losses last), or the highest
 * with {@code hardest_first: true}. Plug it in with
 * <pre>
 * selectors:
 *   custom:
 *     name: custom
 *     params:
 *       class_name: org.dataflex.algorithms.select.examples.EasiestFirstSelector
 *       hardest_first: false
 * </pre>
 * and {@code component_name: custom} in the training config.
 */
public final class EasiestFirstSelector implements Selector {

    private final boolean hardestFirst;

    /** Called by the factory with the params minus {@code class_name} and {@code cache_dir}. */
    public EasiestFirstSelector(Map<String, Object> params) {
        SelectorParams p = new SelectorParams("custom (EasiestFirstSelector)", params, Set.of("hardest_first"));
        this.hardestFirst = p.getBoolean("hardest_first", false);
    }

    /** Asks the trainer for one forward-pass loss per pool sample. */
    @Override
    public Set<Signal> signals() {
        return Set.of(Signal.LOSS);
    }

    @Override
    public Selection select(SelectionRequest request) {
        double[] losses = request.requireLosses("EasiestFirstSelector");
        if (request.numSamples() > losses.length) {
            throw new IllegalArgumentException("EasiestFirstSelector picks distinct samples and cannot return "
                    + request.numSamples() + " of " + losses.length);
        }
        Integer[] order = new Integer[losses.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            boolean missingA = !Double.isFinite(losses[a]);
            boolean missingB = !Double.isFinite(losses[b]);
            if (missingA != missingB) return missingA ? 1 : -1;
            int byLoss = hardestFirst ? Double.compare(losses[b], losses[a]) : Double.compare(losses[a], losses[b]);
            return byLoss != 0 ? byLoss : Integer.compare(a, b);
        });
        int[] indices = new int[request.numSamples()];
        for (int i = 0; i < indices.length; i++) indices[i] = order[i];
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("loss", JsonNumbers.pick(losses, indices));
        return new Selection(indices, metric);
    }
}
