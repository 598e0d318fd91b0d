package org.dataflex.driver.config;

import java.util.ArrayList;
import java.util.List;

/** Command-line {@code key=value} overrides; values are read as YAML scalars or flow lists ({@code [0.5,0.5]}). */
final class OverrideParser {
    private OverrideParser() {
    }

    static List<Setting> parse(List<String> overrides, Problems problems) {
        List<Setting> settings = new ArrayList<>();
        for (int i = 0; i < overrides.size(); i++) {
            String argument = overrides.get(i);
            String origin = "command line argument `" + argument + "`";
            int equals = argument.indexOf('=');
            String key = equals < 0 ? "" : argument.substring(0, equals).trim();
            if (key.isEmpty()) {
                problems.add(origin + ": expected key=value, e.g. learning_rate=5e-5");
                continue;
            }
            settings.add(new Setting(key, ConfigYaml.parseValue(argument.substring(equals + 1).trim()), origin));
        }
        return settings;
    }
}
