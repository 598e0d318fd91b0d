package org.dataflex.driver.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The DataFlex components declared in a {@code components.yaml} (sections {@code selectors}, {@code mixers},
 * {@code weighters}; each name maps to {@code params}), together with which of them this build implements.
 * A component is resolvable only once its implementation has been registered with {@link #markBuilt}.
 */
public final class ComponentCatalog {
    private final String sourceFile;
    private final Map<ComponentKind, Map<String, ComponentSpec>> declared;
    private final Map<ComponentKind, Set<String>> built = new EnumMap<>(ComponentKind.class);

    private ComponentCatalog(String sourceFile, Map<ComponentKind, Map<String, ComponentSpec>> declared) {
        this.sourceFile = sourceFile;
        this.declared = declared;
        for (ComponentKind kind : ComponentKind.values()) {
            built.put(kind, new TreeSet<>());
        }
    }

    public static ComponentCatalog load(String path) {
        return load(Path.of(path));
    }

    /** Parses a components file; every structural problem is reported at once, naming the file and entry. */
    public static ComponentCatalog load(Path path) {
        String label = path.toString();
        Object document;
        try {
            String text = Files.readString(path);
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (IOException e) {
            throw new ConfigException(label, "cannot read components file: " + e);
        } catch (YAMLException e) {
            throw new ConfigException(label, "not valid YAML: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> sections)) {
            throw new ConfigException(label, "expected a mapping with sections selectors, mixers, weighters");
        }
        List<String> problems = new ArrayList<>();
        Map<ComponentKind, Map<String, ComponentSpec>> declared = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.values()) {
            declared.put(kind, new LinkedHashMap<>());
        }
        for (Map.Entry<?, ?> section : sections.entrySet()) {
            String sectionName = String.valueOf(section.getKey());
            ComponentKind kind = kindOfSection(sectionName);
            if (kind == null) {
                problems.add("unknown section `" + sectionName + "`: expected selectors, mixers or weighters");
                continue;
            }
            readSection(kind, section.getValue(), label, declared.get(kind), problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(label, problems);
        }
        return new ComponentCatalog(label, declared);
    }

    /** Registers an implemented component so that {@link #resolve} returns it; returns this catalog. */
    public ComponentCatalog markBuilt(ComponentKind kind, String name) {
        built.get(kind).add(name);
        return this;
    }

    public ComponentCatalog markBuilt(String kind, String name) {
        return markBuilt(ComponentKind.fromName(kind), name);
    }

    /** Names declared in the file for one kind, in file order. */
    public Set<String> names(ComponentKind kind) {
        return Collections.unmodifiableSet(declared.get(kind).keySet());
    }

    /** Declared names whose implementation is registered as built. */
    public Set<String> availableNames(ComponentKind kind) {
        Set<String> available = new LinkedHashSet<>(declared.get(kind).keySet());
        available.retainAll(built.get(kind));
        return Collections.unmodifiableSet(available);
    }

    public String sourceFile() {
        return sourceFile;
    }

    public ComponentSpec resolve(String kind, String name) {
        return resolve(ComponentKind.fromName(kind), name);
    }

    /**
     * The declared, built component of this kind and name; otherwise a {@link ConfigException} that lists the
     * declared names (unknown name) or the names available in this build (known but not built).
     */
    public ComponentSpec resolve(ComponentKind kind, String name) {
        String problem = problemResolving(kind, name);
        if (problem != null) {
            throw new ConfigException(sourceFile, problem);
        }
        return declared.get(kind).get(name);
    }

    /** The reason {@link #resolve} would fail, or null when it succeeds. */
    String problemResolving(ComponentKind kind, String name) {
        Map<String, ComponentSpec> ofKind = declared.get(kind);
        if (!ofKind.containsKey(name)) {
            String hint = NameSuggestions.closest(name, ofKind.keySet()).isEmpty() ? ""
                    : " (" + NameSuggestions.hint(name, ofKind.keySet()) + ")";
            return "unknown " + kind.configName() + " `" + name + "` in " + sourceFile + hint + "; "
                    + kind.section() + " declared there: " + join(ofKind.keySet());
        }
        if (!built.get(kind).contains(name)) {
            return "`" + name + "` (" + kind.configName() + ") is not available in this build yet; available now: "
                    + join(availableNames(kind));
        }
        return null;
    }

    private static void readSection(ComponentKind kind, Object body, String label,
                                    Map<String, ComponentSpec> into, List<String> problems) {
        if (body == null) {
            return;
        }
        if (!(body instanceof Map<?, ?> entries)) {
            problems.add(kind.section() + ": expected a mapping of component names");
            return;
        }
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String where = kind.section() + "." + name;
            if (!(entry.getValue() instanceof Map<?, ?> fields)) {
                problems.add(where + ": expected `name` and `params`");
                continue;
            }
            Object declaredName = fields.get("name");
            if (declaredName != null && !name.equals(String.valueOf(declaredName))) {
                problems.add(where + ".name: `" + declaredName + "` differs from the entry name `" + name + "`");
            }
            for (Object field : fields.keySet()) {
                if (!"name".equals(field) && !"params".equals(field)) {
                    problems.add(where + ": unknown field `" + field + "` (expected name, params)");
                }
            }
            Object params = fields.get("params");
            if (params != null && !(params instanceof Map)) {
                problems.add(where + ".params: expected a mapping of parameter names to values");
                continue;
            }
            Map<String, Object> typed = new LinkedHashMap<>();
            if (params != null) {
                ((Map<?, ?>) params).forEach((key, value) -> typed.put(String.valueOf(key), value));
            }
            into.put(name, new ComponentSpec(kind, name, typed, label));
        }
    }

    private static ComponentKind kindOfSection(String section) {
        for (ComponentKind kind : ComponentKind.values()) {
            if (kind.section().equals(section)) {
                return kind;
            }
        }
        return null;
    }

    private static String join(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
