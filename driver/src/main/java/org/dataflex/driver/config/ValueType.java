package org.dataflex.driver.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns a raw value (from YAML, HOCON, JSON or a command-line override) into a typed one. Parsing is strict:
 * a fractional number is not an integer and a string is a number only when it reads as one, so typos surface.
 *
 * @param <T> the typed value
 */
@FunctionalInterface
interface ValueType<T> {
    /** Parses a non-null raw value; throws {@link IllegalArgumentException} with a user-facing reason. */
    T parse(Object raw);

    ValueType<String> STRING = raw -> {
        if (raw instanceof String text) {
            return text;
        }
        if (raw instanceof Number) {
            return String.valueOf(raw);
        }
        throw mismatch("a string", raw);
    };

    ValueType<Boolean> BOOLEAN = raw -> {
        if (raw instanceof Boolean flag) {
            return flag;
        }
        if (raw instanceof String text) {
            String lower = text.trim().toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.parseBoolean(lower);
            }
        }
        throw mismatch("true or false", raw);
    };

    ValueType<Integer> INT = raw -> {
        BigDecimal number = decimal(raw, "an integer");
        try {
            return number.intValueExact();
        } catch (ArithmeticException e) {
            throw mismatch("an integer", raw);
        }
    };

    ValueType<Double> DOUBLE = raw -> {
        if (raw instanceof Number number) {
            return number.doubleValue();
        }
        if (raw instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw mismatch("a number", raw);
            }
        }
        throw mismatch("a number", raw);
    };

    /** A list written either as a YAML/HOCON list or as LLaMA-Factory's comma-separated string. */
    ValueType<List<String>> STRING_LIST = raw -> {
        List<String> items = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                items.add(STRING.parse(item).trim());
            }
        } else {
            Arrays.stream(STRING.parse(raw).split(",")).map(String::trim).forEach(items::add);
        }
        items.removeIf(String::isEmpty);
        return Collections.unmodifiableList(items);
    };

    ValueType<List<Double>> DOUBLE_LIST = raw -> {
        List<?> list;
        if (raw instanceof List<?> given) {
            list = given;
        } else if (raw instanceof String text) {
            String inner = text.trim().replaceAll("^\\[|]$", "");
            list = inner.isBlank() ? List.of() : Arrays.asList(inner.split(","));
        } else {
            throw mismatch("a list of numbers such as [0.5, 0.5]", raw);
        }
        List<Double> numbers = new ArrayList<>();
        for (Object item : list) {
            try {
                numbers.add(DOUBLE.parse(item));
            } catch (IllegalArgumentException e) {
                throw mismatch("a list of numbers such as [0.5, 0.5]", raw);
            }
        }
        return Collections.unmodifiableList(numbers);
    };

    /** One of an enum's config names, matched case-insensitively; aliases map extra spellings to constants. */
    static <E extends Enum<E> & ConfigEnum> ValueType<E> oneOf(Class<E> type, Object... aliasPairs) {
        return raw -> {
            String text = STRING.parse(raw).trim().toLowerCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (constant.configName().equals(text)) {
                    return constant;
                }
            }
            for (int i = 0; i + 1 < aliasPairs.length; i += 2) {
                if (aliasPairs[i].equals(text)) {
                    return type.cast(aliasPairs[i + 1]);
                }
            }
            String choices = Arrays.stream(type.getEnumConstants()).map(ConfigEnum::configName)
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("expected one of " + choices + ", got " + show(raw));
        };
    }

    private static BigDecimal decimal(Object raw, String expected) {
        try {
            if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
                return BigDecimal.valueOf(((Number) raw).longValue());
            }
            if (raw instanceof BigInteger big) {
                return new BigDecimal(big);
            }
            if (raw instanceof Number number) {
                return BigDecimal.valueOf(number.doubleValue());
            }
            if (raw instanceof String text) {
                return new BigDecimal(text.trim());
            }
        } catch (NumberFormatException e) {
            throw mismatch(expected, raw);
        }
        throw mismatch(expected, raw);
    }

    static IllegalArgumentException mismatch(String expected, Object raw) {
        return new IllegalArgumentException("expected " + expected + ", got " + show(raw));
    }

    /** How a raw value is quoted in messages: strings in backticks, other values with their type. */
    static String show(Object raw) {
        if (raw instanceof String text) {
            return "`" + text + "`";
        }
        if (raw instanceof List<?> list) {
            return "a list " + list;
        }
        if (raw instanceof Boolean flag) {
            return "boolean " + flag;
        }
        return String.valueOf(raw);
    }
}
