package org.dataflex.driver.config;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems so that all of them are reported together in one {@link ConfigException}. */
final class Problems {
    private final String source;
    private final List<String> messages = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    void add(String message) {
        messages.add(message);
    }

    /** A problem about one setting, prefixed with where it was written. */
    void add(Setting setting, String message) {
        messages.add(setting.origin() + ": " + setting.key() + ": " + message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new ConfigException(source, messages);
        }
    }
}
