package org.dataflex.algorithms.select;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A selector's decision: the pool indices to train on next (duplicates allowed when sampling with replacement) and a
 * JSON-friendly metric the trainer writes to {@code selections/step_N.json} as
 * {@code {"indices": [...], "metric": {...}}}, e.g. {@code {"loss": [losses of the selected]}}.
 *
 * <p>Metric values are numbers, strings, booleans, lists and maps. The built-in selectors write non-finite numbers
 * as the strings {@code "Infinity"}, {@code "-Infinity"} and {@code "NaN"} (see {@link JsonNumbers}) so every JSON
 * writer accepts them.
 *
 * @param indices the selected pool indices, in selection order
 * @param metric  per-selector diagnostics, read-only, iteration order preserved
 */
public record Selection(int[] indices, Map<String, Object> metric) {

    public Selection {
        Objects.requireNonNull(indices, "indices");
        metric = metric == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metric));
    }

    /** A selection without diagnostics. */
    public static Selection of(int[] indices) { return new Selection(indices, Map.of()); }
}
