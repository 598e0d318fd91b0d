package org.dataflex.datasets;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import com.fasterxml.jackson.databind.JsonNode;
import org.dataflex.datasets.format.Conversation;
import org.dataflex.datasets.format.Message;
import org.dataflex.datasets.format.RowFormatException;
import org.dataflex.datasets.format.RowParser;
import org.dataflex.datasets.io.RawRecord;
import org.dataflex.datasets.io.SourceReader;
import org.dataflex.datasets.pipeline.ContiguousPartitioner;
import org.dataflex.datasets.pipeline.PretrainPacker;
import org.dataflex.datasets.pipeline.RowOutcome;
import org.dataflex.datasets.pipeline.RowProcessor;
import org.dataflex.datasets.template.ChatTemplate;
import org.dataflex.datasets.template.ChatTemplates;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds tokenized training examples from LLaMA-Factory style datasets with Spark.
 *
 * <p>Per dataset: read the files in order, number the rows, keep the first {@code maxSamples}, parse/format/
 * tokenize each row (bad rows fail the load with {@code file:line: reason}, or are skipped and counted), then
 * pack (pt) or keep one example per row (sft). Datasets are concatenated in request order and spread over the
 * requested number of partitions as contiguous ranges, so content and order never depend on input splits.
 */
public final class TrainingData {
    private TrainingData() {}

    public static LoadedData load(SparkSession spark, DataRequest request, TextTokenizer tokenizer) {
        DatasetRegistry registry = DatasetRegistry.load(request.datasetDir(), spark.sparkContext().hadoopConfiguration());
        ChatTemplate template = request.isPretraining() ? null : ChatTemplates.get(request.template());
        List<DatasetEntry> entries = new ArrayList<>();
        for (String name : request.datasets()) {
            DatasetEntry entry = registry.get(name);
            if (entry.ranking()) {
                throw new IllegalArgumentException("dataset '" + name + "' is a ranking (preference) dataset; stage "
                        + request.stage() + " needs plain rows");
            }
            entries.add(entry);
        }

        List<JavaRDD<?>> intermediates = new ArrayList<>();
        List<JavaPairRDD<Long, Example>> parts = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        long skipped = 0;
        long offset = 0;
        try {
            for (DatasetEntry entry : entries) {
                JavaPairRDD<RawRecord, Long> rows = numberedRows(spark, entry, request);
                DatasetPart part = request.isPretraining()
                        ? pretrain(rows, entry, request, tokenizer, intermediates)
                        : sft(rows, entry, request, tokenizer, template, intermediates);
                if (part.count == 0) {
                    throw new DataFormatException("dataset '" + entry.name() + "' (" + entry.dataPath() + ") yields no "
                            + "examples" + part.emptyReason);
                }
                long shift = offset;
                parts.add(part.examples.mapToPair(t -> new Tuple2<>(t._1() + shift, t._2())));
                counts.put(entry.name(), part.count);
                skipped += part.skipped;
                offset += part.count;
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int partitions = request.numPartitions() > 0 ? request.numPartitions() : jsc.defaultParallelism();
            @SuppressWarnings("unchecked")
            JavaPairRDD<Long, Example> all = parts.size() == 1 ? parts.get(0)
                    : jsc.union(parts.toArray(new JavaPairRDD[0]));
            JavaRDD<Example> examples = all
                    .repartitionAndSortWithinPartitions(new ContiguousPartitioner(offset, partitions))
                    .values()
                    .setName("dataflex examples " + request.datasets())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long materialized = examples.count();
            if (materialized != offset) {
                throw new IllegalStateException("built " + materialized + " examples but expected " + offset);
            }
            return new LoadedData(examples, skipped, counts);
        } finally {
            intermediates.forEach(rdd -> rdd.unpersist(false));
        }
    }

    /**
     * The raw text of the named datasets, one string per row, for training a tokenizer: the pretraining text
     * column, or every message of a conversation (system prompt included) joined by newlines. Bad rows fail with
     * {@code file:line: reason} unless {@code skipBadRows}.
     */
    public static JavaRDD<String> texts(SparkSession spark, DataRequest request) {
        DatasetRegistry registry = DatasetRegistry.load(request.datasetDir(), spark.sparkContext().hadoopConfiguration());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> all = jsc.emptyRDD();
        for (String name : request.datasets()) {
            DatasetEntry entry = registry.get(name);
            RowParser parser = new RowParser(entry);
            boolean pretraining = request.isPretraining();
            boolean skip = request.skipBadRows();
            JavaRDD<String> texts = numberedRows(spark, entry, request).keys().flatMap(record -> {
                if (record.isFatal()) throw new DataFormatException(record.fatalError());
                try {
                    JsonNode row = parser.parse(record.json());
                    return List.of(pretraining ? parser.pretrainText(row) : conversationText(parser.conversation(row)))
                            .iterator();
                } catch (RowFormatException e) {
                    if (skip) return java.util.Collections.emptyIterator();
                    throw new DataFormatException(record.location() + ": " + e.getMessage());
                }
            });
            all = all.union(texts);
        }
        return all;
    }

    private static String conversationText(Conversation c) {
        StringBuilder text = new StringBuilder();
        if (c.system() != null && !c.system().isEmpty()) text.append(c.system()).append('\n');
        for (Message m : c.messages()) text.append(m.content()).append('\n');
        return text.toString();
    }

    private record DatasetPart(JavaPairRDD<Long, Example> examples, long count, long skipped, String emptyReason) {}

    private static JavaPairRDD<RawRecord, Long> numberedRows(SparkSession spark, DatasetEntry entry, DataRequest req) {
        JavaPairRDD<RawRecord, Long> rows = SourceReader.read(spark, entry.dataFiles(), req.numPartitions()).zipWithIndex();
        Integer max = req.maxSamples();
        return max == null ? rows : rows.filter(t -> t._2() < max);
    }

    private static DatasetPart pretrain(JavaPairRDD<RawRecord, Long> rows, DatasetEntry entry, DataRequest req,
                                        TextTokenizer tokenizer, List<JavaRDD<?>> intermediates) {
        JavaRDD<RowOutcome<int[]>> outcomes = rows.mapPartitions(RowProcessor.pretrain(entry, tokenizer))
                .persist(StorageLevel.MEMORY_AND_DISK());
        intermediates.add(outcomes);
        long skipped = checkBadRows(outcomes, req.skipBadRows());
        PretrainPacker.Packed packed = PretrainPacker.pack(outcomes.filter(RowOutcome::isOk).map(RowOutcome::value),
                req.cutoffLen(), entry.name());
        return new DatasetPart(packed.blocks(), packed.blockCount(), skipped,
                ": its " + packed.tokenCount() + " tokens do not fill one block of cutoff_len " + req.cutoffLen());
    }

    private static DatasetPart sft(JavaPairRDD<RawRecord, Long> rows, DatasetEntry entry, DataRequest req,
                                   TextTokenizer tokenizer, ChatTemplate template, List<JavaRDD<?>> intermediates) {
        JavaRDD<RowOutcome<Example>> outcomes = rows
                .mapPartitions(RowProcessor.sft(entry, tokenizer, template, req.cutoffLen()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        intermediates.add(outcomes);
        long skipped = checkBadRows(outcomes, req.skipBadRows());
        JavaRDD<Example> good = outcomes.filter(RowOutcome::isOk).map(RowOutcome::value);
        JavaPairRDD<Long, Example> indexed = good.zipWithIndex().mapToPair(Tuple2::swap);
        return new DatasetPart(indexed, good.count(), skipped, ": no valid rows");
    }

    /** Fails on the first bad row (in file order) unless skipping; returns the number of skipped rows. */
    private static <T> long checkBadRows(JavaRDD<RowOutcome<T>> outcomes, boolean skipBadRows) {
        List<RowOutcome<T>> firstFailure = outcomes.filter(o -> o.fatal() || (!skipBadRows && !o.isOk())).take(1);
        if (!firstFailure.isEmpty()) {
            throw new DataFormatException(firstFailure.get(0).error());
        }
        return skipBadRows ? outcomes.filter(o -> !o.isOk()).count() : 0;
    }
}
