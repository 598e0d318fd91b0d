package org.dataflex.driver.config;

import java.util.function.Predicate;

/** How this engine treats one configuration key. */
sealed interface KeyRule permits KeyRule.Honoured, KeyRule.Inapplicable, KeyRule.Refused {
    String key();

    ValueType<?> type();

    /** Typed into {@link TrainArgs}; {@code defaultValue} applies when the key is absent or null. */
    record Honoured(String key, ValueType<?> type, Object defaultValue) implements KeyRule {
    }

    /**
     * Accepted but meaningless on this engine (precision flags, DeepSpeed, trackers...). A notice with
     * {@code reason} is printed unless the value is one that changes nothing anyway ({@code silentWhen}).
     */
    record Inapplicable(String key, ValueType<?> type, String reason, Predicate<Object> silentWhen)
            implements KeyRule {
    }

    /**
     * A feature this build cannot honour yet. Values for which the feature is off ({@code acceptedWhen}) load
     * fine; any other value is an error carrying {@code reason}.
     */
    record Refused(String key, ValueType<?> type, String reason, Predicate<Object> acceptedWhen)
            implements KeyRule {
    }
}
