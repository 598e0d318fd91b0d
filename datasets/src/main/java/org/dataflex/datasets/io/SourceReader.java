package org.dataflex.datasets.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads data files into {@link RawRecord}s through Spark, in a deterministic order: files in the given order,
 * rows in file order. JSON Lines are read as text lines (so a malformed line is reported as {@code file:line});
 * a JSON array is streamed by one task; Parquet rows are rendered as JSON by Spark.
 */
public final class SourceReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SourceReader() {}

    /** @param minPartitions split hint for splittable files (0 = Spark's default) */
    public static JavaRDD<RawRecord> read(SparkSession spark, List<String> files, int minPartitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        int splits = minPartitions > 0 ? minPartitions : jsc.defaultMinPartitions();
        List<JavaRDD<RawRecord>> parts = new ArrayList<>();
        for (String file : files) {
            parts.add(switch (DataFileType.of(file, conf)) {
                case JSONL -> readLines(jsc, file, splits, false);
                case TEXT -> readLines(jsc, file, splits, true);
                case JSON_ARRAY -> readJsonArray(jsc, file);
                case PARQUET -> readParquet(spark, file);
            });
        }
        if (parts.size() == 1) return parts.get(0);
        @SuppressWarnings("unchecked")
        JavaRDD<RawRecord>[] array = parts.toArray(new JavaRDD[0]);
        return jsc.union(array);
    }

    private static JavaRDD<RawRecord> readLines(JavaSparkContext jsc, String file, int splits, boolean plainText) {
        return jsc.textFile(file, splits).zipWithIndex()
                .filter(t -> !t._1().isBlank())
                .map(t -> {
                    String location = file + ":" + (t._2() + 1);
                    String json = plainText ? JSON.createObjectNode().put("text", t._1()).toString() : t._1();
                    return RawRecord.row(location, json);
                });
    }

    private static JavaRDD<RawRecord> readJsonArray(JavaSparkContext jsc, String file) {
        return jsc.binaryFiles(file, 1).flatMap(t -> parseArray(file, t._2()).iterator());
    }

    private static List<RawRecord> parseArray(String file, PortableDataStream stream) throws IOException {
        List<RawRecord> rows = new ArrayList<>();
        JsonFactory factory = JSON.getFactory();
        try (InputStream in = stream.open(); JsonParser parser = factory.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                rows.add(RawRecord.fatal(file + ":1", "expected a JSON array of rows"));
                return rows;
            }
            int index = 0;
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) break;
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode node = JSON.readTree(parser);
                rows.add(RawRecord.row(file + ":" + line + " (element " + index + ")", node.toString()));
                index++;
            }
        } catch (JsonProcessingException e) {
            rows.add(RawRecord.fatal(file + ":" + e.getLocation().getLineNr(),
                    "invalid JSON array: " + e.getOriginalMessage()
                            + " (a broken JSON array cannot be split into rows, so it is never skipped)"));
        }
        return rows;
    }

    private static JavaRDD<RawRecord> readParquet(SparkSession spark, String file) {
        return spark.read().parquet(file).toJSON().javaRDD().zipWithIndex()
                .map(t -> RawRecord.row(file + ":row " + (t._2() + 1), t._1()));
    }
}
