package org.dataflex.driver.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML reading with the scalar rules LLaMA-Factory users expect: {@code 5e-5} and {@code 1.0e-4} are numbers
 * (YAML 1.1 alone only accepts exponents after a dot), only true/false are booleans, dates stay strings, and
 * every key keeps its line.
 */
final class ConfigYaml {
    /** Decimal floats with or without a dot and with an optional exponent, plus YAML's inf/nan spellings. */
    private static final Pattern FLOAT = Pattern.compile(
            "^[-+]?(?:[0-9][0-9_]*\\.[0-9_]*|\\.[0-9_]+|[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$"
                    + "|^[-+]?\\.(?:inf|Inf|INF)$|^\\.(?:nan|NaN|NAN)$");
    /**
     * Only true/false are booleans (YAML 1.2): under YAML 1.1 {@code eval_strategy: no} would silently become
     * the boolean false instead of Hugging Face's strategy name {@code no}.
     */
    private static final Pattern BOOLEAN = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

    private ConfigYaml() {
    }

    /** Reads a YAML document into flat settings; nested mappings become dotted keys. */
    static List<Setting> readSettings(String text, String fileLabel, Problems problems) {
        Node root;
        try {
            root = newYaml().compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            throw new ConfigException(fileLabel, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigException(fileLabel, "the YAML document must be a mapping of `key: value` lines");
        }
        List<Setting> settings = new ArrayList<>();
        flatten(mapping, "", fileLabel, new ValueConstructor(), settings, new LinkedHashMap<>(), problems);
        return settings;
    }

    /** Parses one command-line value as a YAML scalar or flow list; anything else stays the raw string. */
    static Object parseValue(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            Object value = newYaml().load(text);
            return value instanceof Map ? text : value;
        } catch (YAMLException e) {
            return text;
        }
    }

    /** One {@code key: value} line per entry, lists in flow style (for {@code config.resolved.yaml}). */
    static String dump(Map<String, Object> values) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        options.setPrettyFlow(false);
        StringBuilder out = new StringBuilder();
        Yaml yaml = new Yaml(options);
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            out.append(entry.getKey()).append(": ").append(yaml.dump(entry.getValue()).strip()).append('\n');
        }
        return out.toString();
    }

    private static void flatten(MappingNode mapping, String prefix, String fileLabel, ValueConstructor constructor,
                                List<Setting> out, Map<String, Integer> firstLines, Problems problems) {
        for (NodeTuple tuple : mapping.getValue()) {
            int line = tuple.getKeyNode().getStartMark().getLine() + 1;
            String key = prefix + String.valueOf(constructor.construct(tuple.getKeyNode()));
            String origin = fileLabel + ":" + line;
            Integer earlier = firstLines.putIfAbsent(key, line);
            if (earlier != null) {
                problems.add(origin + ": " + key + ": duplicate key (first set at line " + earlier + ")");
                continue;
            }
            Node valueNode = tuple.getValueNode();
            if (valueNode instanceof MappingNode nested) {
                flatten(nested, key + ".", fileLabel, constructor, out, firstLines, problems);
            } else {
                out.add(new Setting(key, constructor.construct(valueNode), origin));
            }
        }
    }

    private static Yaml newYaml() {
        LoaderOptions loaderOptions = new LoaderOptions();
        loaderOptions.setAllowDuplicateKeys(false);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(new ValueConstructor(loaderOptions), new Representer(dumperOptions), dumperOptions,
                loaderOptions, new ConfigResolver());
    }

    /** SnakeYAML's safe constructor with its node-to-value step made reachable for single nodes. */
    private static final class ValueConstructor extends SafeConstructor {
        ValueConstructor() {
            this(new LoaderOptions());
        }

        ValueConstructor(LoaderOptions options) {
            super(options);
        }

        Object construct(Node node) {
            return constructObject(node);
        }
    }

    /** YAML implicit types without timestamps, with the float and boolean patterns above. */
    private static final class ConfigResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
