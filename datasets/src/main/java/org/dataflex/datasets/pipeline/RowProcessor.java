package org.dataflex.datasets.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.dataflex.datasets.DatasetEntry;
import org.dataflex.datasets.Example;
import org.dataflex.datasets.format.RowFormatException;
import org.dataflex.datasets.format.RowParser;
import org.dataflex.datasets.io.RawRecord;
import org.dataflex.datasets.template.ChatTemplate;
import org.dataflex.datasets.template.ConversationEncoder;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Per-partition row processing: parse the JSON row, format it for the stage and tokenize it. Pretraining rows
 * become token arrays ending in eos (packed later); SFT rows become {@link Example}s with id
 * {@code <dataset>:<row index>}.
 */
public final class RowProcessor {
    private RowProcessor() {}

    public static FlatMapFunction<Iterator<Tuple2<RawRecord, Long>>, RowOutcome<int[]>> pretrain(
            DatasetEntry entry, TextTokenizer tokenizer) {
        RowParser parser = new RowParser(entry);
        return rows -> map(rows, (record, index) -> {
            int[] text = tokenizer.encode(parser.pretrainText(parser.parse(record.json())));
            int[] doc = Arrays.copyOf(text, text.length + 1);
            doc[text.length] = tokenizer.eosId();
            return doc;
        });
    }

    public static FlatMapFunction<Iterator<Tuple2<RawRecord, Long>>, RowOutcome<Example>> sft(
            DatasetEntry entry, TextTokenizer tokenizer, ChatTemplate template, int cutoffLen) {
        RowParser parser = new RowParser(entry);
        String dataset = entry.name();
        return rows -> {
            ConversationEncoder encoder = new ConversationEncoder(template, tokenizer, cutoffLen);
            return map(rows, (record, index) -> {
                JsonNode row = parser.parse(record.json());
                return encoder.encode(dataset + ":" + index, dataset, parser.conversation(row));
            });
        };
    }

    private interface RowFunction<T> {
        T apply(RawRecord record, long index);
    }

    private static <T> Iterator<RowOutcome<T>> map(Iterator<Tuple2<RawRecord, Long>> rows, RowFunction<T> fn) {
        List<RowOutcome<T>> out = new ArrayList<>();
        while (rows.hasNext()) {
            Tuple2<RawRecord, Long> row = rows.next();
            RawRecord record = row._1();
            if (record.isFatal()) {
                out.add(RowOutcome.fatal(record.location() + ": " + record.fatalError()));
                continue;
            }
            try {
                out.add(RowOutcome.ok(fn.apply(record, row._2())));
            } catch (RowFormatException e) {
                out.add(RowOutcome.bad(record.location() + ": " + e.getMessage()));
            }
        }
        return out.iterator();
    }
}
