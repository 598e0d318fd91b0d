package org.dataflex.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Parse;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a configuration file into flat settings. YAML goes through SnakeYAML; HOCON ({@code .conf}) and JSON go
 * through Typesafe Config, whose substitutions and includes therefore work. Nested objects become dotted keys.
 */
final class ConfigFileReader {
    private ConfigFileReader() {
    }

    static List<Setting> read(Path file, String label, Problems problems) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(label, "config file not found: " + file.toAbsolutePath().normalize());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return ConfigYaml.readSettings(readText(file, label), label, problems);
        }
        if (name.endsWith(".conf") || name.endsWith(".hocon")) {
            return readTypesafe(file, label, ConfigSyntax.CONF);
        }
        if (name.endsWith(".json")) {
            return readTypesafe(file, label, ConfigSyntax.JSON);
        }
        throw new ConfigException(label,
                "unsupported config file type `" + file.getFileName() + "`: use .yaml/.yml, .conf (HOCON) or .json");
    }

    private static String readText(Path file, String label) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(label, "cannot read config file: " + e.getMessage());
        }
    }

    private static List<Setting> readTypesafe(Path file, String label, ConfigSyntax syntax) {
        Config config;
        try {
            ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(syntax).setAllowMissing(false);
            config = ConfigFactory.parseFile(file.toFile(), options).resolve();
        } catch (Parse e) {
            throw new ConfigException(label, "not valid " + syntax.name() + ": " + e.getMessage());
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(label, e.getMessage());
        }
        List<Setting> settings = new ArrayList<>();
        flatten(config.root(), "", label, settings);
        return settings;
    }

    /** Walks the object tree itself because {@code Config.entrySet()} silently drops null values. */
    private static void flatten(ConfigObject object, String prefix, String label, List<Setting> out) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = prefix + entry.getKey();
            ConfigValue value = entry.getValue();
            if (value instanceof ConfigObject nested) {
                flatten(nested, key + ".", label, out);
            } else {
                int line = value.origin().lineNumber();
                out.add(new Setting(key, value.unwrapped(), line > 0 ? label + ":" + line : label));
            }
        }
    }
}
