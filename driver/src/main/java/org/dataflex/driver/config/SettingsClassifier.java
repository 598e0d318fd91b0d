package org.dataflex.driver.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sorts raw settings by the {@link KeyCatalog}: honoured keys are typed, inapplicable keys become notices,
 * refused values and unknown keys become problems, and {@code spark.*} keys become Spark settings.
 */
final class SettingsClassifier {
    private static final String SPARK_PREFIX = "spark.";

    /** Typed honoured values (only those the user wrote with a valid non-null value). */
    final Map<String, Object> typed = new LinkedHashMap<>();
    /** The setting behind each key, for messages that point at the file line. */
    final Map<String, Setting> settings = new LinkedHashMap<>();
    /** Keys whose value could not be typed; checks that depend on them are skipped. */
    final Set<String> invalidKeys = new LinkedHashSet<>();
    final Map<String, String> sparkConf = new TreeMap<>();
    /** Keys without effect, grouped by the reason printed for them. */
    final Map<String, List<String>> inapplicableByReason = new LinkedHashMap<>();

    private final Problems problems;

    SettingsClassifier(Problems problems) {
        this.problems = problems;
    }

    void classify(Iterable<Setting> merged) {
        for (Setting setting : merged) {
            settings.put(setting.key(), setting);
            if (setting.key().startsWith(SPARK_PREFIX) && setting.key().length() > SPARK_PREFIX.length()) {
                addSparkSetting(setting);
                continue;
            }
            Optional<KeyRule> rule = KeyCatalog.find(setting.key());
            if (rule.isEmpty()) {
                problems.add(setting, "unknown key; " + NameSuggestions.hint(setting.key(), KeyCatalog.allKeys()));
                continue;
            }
            if (setting.value() == null) {
                continue; // null means "use the default"
            }
            Object value;
            try {
                value = rule.get().type().parse(setting.value());
            } catch (IllegalArgumentException e) {
                problems.add(setting, e.getMessage());
                invalidKeys.add(setting.key());
                continue;
            }
            apply(rule.get(), setting, value);
        }
    }

    /** The notice lines, one per reason, naming every key given for it. */
    List<String> notices() {
        List<String> lines = new ArrayList<>();
        inapplicableByReason.forEach((reason, keys) -> lines.add(String.join(", ", keys)
                + (keys.size() == 1 ? " has" : " have") + " no effect on this engine: " + reason));
        return lines;
    }

    private void apply(KeyRule rule, Setting setting, Object value) {
        if (rule instanceof KeyRule.Honoured honoured) {
            typed.put(honoured.key(), value);
        } else if (rule instanceof KeyRule.Inapplicable inapplicable) {
            if (!inapplicable.silentWhen().test(value)) {
                inapplicableByReason.computeIfAbsent(inapplicable.reason(), reason -> new ArrayList<>())
                        .add(inapplicable.key());
            }
        } else if (rule instanceof KeyRule.Refused refused && !refused.acceptedWhen().test(value)) {
            problems.add(setting, ValueType.show(value) + " cannot be honoured by this build: " + refused.reason());
        }
    }

    private void addSparkSetting(Setting setting) {
        Object value = setting.value();
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            sparkConf.put(setting.key(), String.valueOf(value));
        } else {
            problems.add(setting, "a Spark setting needs a single string, number or boolean value, got "
                    + (value == null ? "null" : ValueType.show(value)));
        }
    }
}
