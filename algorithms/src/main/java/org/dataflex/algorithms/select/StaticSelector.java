package org.dataflex.algorithms.select;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code static}: the full data through the selection trainer, as a baseline. Successive selections walk through
 * the pool in index order, {@code 0, 1, …, N−1, 0, 1, …}, continuing where the previous selection stopped, so every
 * example is trained on equally often (±1). The position is the selector's state and survives a resume.
 * No signals and no randomness (the trainer's loader still shuffles within a subset).
 */
public final class StaticSelector implements Selector {

    public static final String NAME = "static";
    private static final String NEXT_POSITION = "next_position";

    private long nextPosition;

    /** Params: only {@code cache_dir} (ignored). */
    public static StaticSelector fromParams(Map<String, Object> params) {
        new SelectorParams(NAME, params, Set.of());
        return new StaticSelector();
    }

    @Override
    public Set<Signal> signals() {
        return Set.of();
    }

    @Override
    public Selection select(SelectionRequest request) {
        int n = request.poolSize();
        int[] indices = new int[request.numSamples()];
        long position = nextPosition % n;
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (int) position;
            position = (position + 1) % n;
        }
        nextPosition = position;
        return Selection.of(indices);
    }

    @Override
    public Map<String, Object> saveState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(NEXT_POSITION, nextPosition);
        return state;
    }

    @Override
    public void restoreState(Map<String, Object> state) {
        Object value = state.get(NEXT_POSITION);
        if (!(value instanceof Number number) || number.longValue() < 0) {
            throw new IllegalArgumentException("selector 'static': saved state needs a non-negative '"
                    + NEXT_POSITION + "', got " + JsonNumbers.describe(value));
        }
        nextPosition = number.longValue();
    }
}
