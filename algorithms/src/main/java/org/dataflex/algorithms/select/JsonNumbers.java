package org.dataflex.algorithms.select;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts doubles to and from JSON-friendly values. JSON has no NaN or Infinity, so those travel as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; finite values stay numbers.
 */
public final class JsonNumbers {
    private JsonNumbers() {}

    /** A finite value as a {@link Double}, a non-finite one as its Java/JSON5 spelling. */
    public static Object toJson(double value) {
        return Double.isFinite(value) ? (Object) value : Double.toString(value);
    }

    /** {@code values[i]} for each i in {@code indices}, JSON-friendly. */
    public static List<Object> pick(double[] values, int[] indices) {
        List<Object> out = new ArrayList<>(indices.length);
        for (int index : indices) out.add(toJson(values[index]));
        return out;
    }

    /** All values, JSON-friendly. */
    public static List<Object> all(double[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (double value : values) out.add(toJson(value));
        return out;
    }

    /**
     * Reads a value written by {@link #toJson}: a number, or one of the strings "NaN", "Infinity", "-Infinity".
     *
     * @param what names the value in the error message
     */
    public static double fromJson(Object value, String what) {
        if (value instanceof Number number) return number.doubleValue();
        if (value instanceof String text) {
            switch (text) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new IllegalArgumentException(what + ": expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", got "
                + describe(value));
    }

    /** Reads a list written by {@link #all}. */
    public static double[] arrayFromJson(Object value, String what) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(what + ": expected a list of numbers, got " + describe(value));
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = fromJson(list.get(i), what + "[" + i + "]");
        return out;
    }

    static String describe(Object value) {
        if (value == null) return "null";
        return value.getClass().getSimpleName() + " " + (value instanceof String ? "\"" + value + "\"" : value);
    }
}
