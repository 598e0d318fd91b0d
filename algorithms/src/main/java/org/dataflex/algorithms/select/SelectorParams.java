package org.dataflex.algorithms.select;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed, strict access to a selector's {@code params} map from {@code components.yaml}. Unknown keys are rejected
 * up front (the reference silently drops them, spec §8 row 1), wrong types fail with the key and the value, and a
 * key written as {@code null} means "use the default". {@code cache_dir} is always accepted and ignored: the trainer
 * writes selections into the run directory. Custom selectors may use this class for their own params.
 */
public final class SelectorParams {

    /** Accepted by every selector for compatibility with the reference configs; unused here. */
    public static final String CACHE_DIR = "cache_dir";

    private final String selectorName;
    private final Map<String, Object> values;

    /**
     * @param selectorName names the selector in error messages
     * @param params       the params map (may be null = empty)
     * @param acceptedKeys the keys this selector understands, besides {@code cache_dir}
     * @throws IllegalArgumentException on the first unknown key, listing the accepted ones
     */
    public SelectorParams(String selectorName, Map<String, ?> params, Collection<String> acceptedKeys) {
        this.selectorName = selectorName;
        this.values = params == null ? new LinkedHashMap<>() : new LinkedHashMap<>(params);
        TreeSet<String> accepted = new TreeSet<>(acceptedKeys);
        accepted.add(CACHE_DIR);
        for (String key : values.keySet()) {
            if (!accepted.contains(key)) {
                throw new IllegalArgumentException("selector '" + selectorName + "': unknown parameter '" + key
                        + "' (accepted: " + String.join(", ", accepted) + ")");
            }
        }
    }

    /** Whether the key is present with a non-null value. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    public long getLong(String key, long defaultValue) {
        Object value = values.get(key);
        if (value == null) return defaultValue;
        if (value instanceof Number number) {
            double asDouble = number.doubleValue();
            if (number instanceof Long || number instanceof Integer || number instanceof Short
                    || number instanceof Byte) {
                return number.longValue();
            }
            if (asDouble == Math.rint(asDouble) && Math.abs(asDouble) < 9.0e15) return (long) asDouble;
        }
        throw wrongType(key, "an integer", value);
    }

    public int getInt(String key, int defaultValue) {
        long value = getLong(key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) throw wrongType(key, "a 32-bit integer", value);
        return (int) value;
    }

    public double getDouble(String key, double defaultValue) {
        Object value = values.get(key);
        if (value == null) return defaultValue;
        if (value instanceof Number number) return number.doubleValue();
        throw wrongType(key, "a number", value);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) return defaultValue;
        if (value instanceof Boolean flag) return flag;
        throw wrongType(key, "true or false", value);
    }

    public String getString(String key, String defaultValue) {
        Object value = values.get(key);
        if (value == null) return defaultValue;
        if (value instanceof String text) return text;
        throw wrongType(key, "a string", value);
    }

    /** A list of numbers; a single number is not accepted as a list. */
    public List<Double> getDoubleList(String key, List<Double> defaultValue) {
        Object value = values.get(key);
        if (value == null) return defaultValue;
        if (value instanceof Collection<?> items) {
            List<Double> out = new ArrayList<>(items.size());
            for (Object item : items) {
                if (!(item instanceof Number number)) throw wrongType(key, "a list of numbers", value);
                out.add(number.doubleValue());
            }
            return out;
        }
        throw wrongType(key, "a list of numbers", value);
    }

    /** The params without the given keys (and without null values), e.g. to hand the rest to a user class. */
    public Map<String, Object> without(String... keys) {
        Map<String, Object> rest = new LinkedHashMap<>(values);
        for (String key : keys) rest.remove(key);
        rest.values().removeIf(v -> v == null);
        return rest;
    }

    /** An error for a value that is present but not acceptable, naming the selector and the key. */
    public IllegalArgumentException invalid(String key, String requirement, Object value) {
        return new IllegalArgumentException("selector '" + selectorName + "': parameter '" + key + "' " + requirement
                + ", got " + JsonNumbers.describe(value));
    }

    private IllegalArgumentException wrongType(String key, String expected, Object value) {
        return invalid(key, "must be " + expected, value);
    }
}
