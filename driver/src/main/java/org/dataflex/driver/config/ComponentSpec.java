package org.dataflex.driver.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One component entry of {@code components.yaml}: its kind, name and default parameters (nested maps and lists
 * are kept as written; values may be null).
 *
 * @param kind       selector, mixer or weighter
 * @param name       the registry name, e.g. {@code less}
 * @param params     the {@code params} mapping, read-only
 * @param sourceFile the components file it came from
 */
public record ComponentSpec(ComponentKind kind, String name, Map<String, Object> params, String sourceFile)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public ComponentSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A parameter value, or null when absent or written as null. */
    public Object param(String key) {
        return params.get(key);
    }
}
