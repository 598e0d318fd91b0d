package org.dataflex.datasets.io;

import java.io.Serializable;

/**
 * One source row before parsing: where it came from ({@code file:line}, or {@code file:row N} for Parquet), its
 * JSON text, or a fatal error when the file itself cannot be split into rows (a JSON array with a syntax error).
 */
public record RawRecord(String location, String json, String fatalError) implements Serializable {
    public static RawRecord row(String location, String json) {
        return new RawRecord(location, json, null);
    }

    public static RawRecord fatal(String location, String error) {
        return new RawRecord(location, null, error);
    }

    public boolean isFatal() {
        return fatalError != null;
    }
}
