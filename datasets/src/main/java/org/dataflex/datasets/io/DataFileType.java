package org.dataflex.datasets.io;

import org.dataflex.datasets.DataFormatException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/** File formats a dataset file may have, chosen by extension (a {@code .json} file is peeked at). */
public enum DataFileType {
    /** A top-level JSON array of objects. */
    JSON_ARRAY,
    /** One JSON object per line (also {@code .json} files that do not start with '['); may be compressed. */
    JSONL,
    /** Apache Parquet. */
    PARQUET,
    /** Plain text, one row per line with the line in column {@code text}. */
    TEXT;

    public static DataFileType of(String file, Configuration conf) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".parquet")) return PARQUET;
        if (lower.endsWith(".jsonl") || lower.matches(".*\\.jsonl\\.(gz|bz2|deflate|zst|snappy|lz4)")) return JSONL;
        if (lower.endsWith(".txt")) return TEXT;
        if (lower.endsWith(".json")) return startsWithBracket(file, conf) ? JSON_ARRAY : JSONL;
        throw new DataFormatException(file + ": unsupported data file type (use .json, .jsonl, .parquet or .txt)");
    }

    private static boolean startsWithBracket(String file, Configuration conf) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(conf);
            try (InputStream in = fs.open(path)) {
                int b;
                // skip a UTF-8 byte order mark and whitespace
                while ((b = in.read()) != -1) {
                    if (b == 0xEF || b == 0xBB || b == 0xBF || Character.isWhitespace(b)) continue;
                    return b == '[';
                }
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
