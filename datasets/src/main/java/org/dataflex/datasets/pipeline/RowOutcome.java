package org.dataflex.datasets.pipeline;

import java.io.Serializable;

/** A processed row: a value, or an error message naming the row's location. Fatal errors are never skipped. */
public record RowOutcome<T>(T value, String error, boolean fatal) implements Serializable {
    public static <T> RowOutcome<T> ok(T value) {
        return new RowOutcome<>(value, null, false);
    }

    public static <T> RowOutcome<T> bad(String error) {
        return new RowOutcome<>(null, error, false);
    }

    public static <T> RowOutcome<T> fatal(String error) {
        return new RowOutcome<>(null, error, true);
    }

    public boolean isOk() {
        return error == null;
    }
}
