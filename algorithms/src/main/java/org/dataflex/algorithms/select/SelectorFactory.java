package org.dataflex.algorithms.select;

import java.util.List;
import java.util.Map;

/**
 * Builds a selector from its {@code components.yaml} entry: the {@code component_name} and the entry's
 * {@code params} map. Unknown names and unknown or mistyped params fail with an {@link IllegalArgumentException}
 * that names the selector, the key and what is accepted.
 */
public final class SelectorFactory {
    private SelectorFactory() {}

    /** The selector names this build implements. */
    public static final List<String> NAMES =
            List.of(RandomSelector.NAME, StaticSelector.NAME, LossSelector.NAME, DeltaLossSelector.NAME,
                    CustomSelectorLoader.NAME);

    /** The selector names this build implements, in documentation order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * @param name   {@code random}, {@code static}, {@code loss}, {@code delta_loss} or {@code custom}
     * @param params the entry's params (null = none); {@code cache_dir} is accepted and ignored
     */
    public static Selector create(String name, Map<String, Object> params) {
        if (name == null) {
            throw new IllegalArgumentException("no selector name given (component_name); available: "
                    + String.join(", ", NAMES));
        }
        return switch (name) {
            case RandomSelector.NAME -> RandomSelector.fromParams(params);
            case StaticSelector.NAME -> StaticSelector.fromParams(params);
            case LossSelector.NAME -> LossSelector.fromParams(params);
            case DeltaLossSelector.NAME -> DeltaLossSelector.fromParams(params);
            case CustomSelectorLoader.NAME -> CustomSelectorLoader.load(params);
            default -> throw new IllegalArgumentException("unknown selector '" + name + "' (component_name); available: "
                    + String.join(", ", NAMES));
        };
    }
}
