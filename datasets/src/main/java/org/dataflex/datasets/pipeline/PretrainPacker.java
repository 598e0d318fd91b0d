package org.dataflex.datasets.pipeline;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.dataflex.datasets.Example;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * LLaMA-Factory style packing for pretraining: documents (each already ending in eos) are concatenated in order
 * and cut into blocks of exactly {@code blockLen} tokens; the final short remainder is dropped. Works across
 * partitions: one job sums tokens per partition, then each partition emits the block fragments it holds, and
 * fragments are joined by block index. Labels equal the inputs; block ids are {@code <dataset>:<block index>}.
 */
public final class PretrainPacker {
    private PretrainPacker() {}

    /** Packed blocks keyed by block index 0..blocks-1. */
    public record Packed(JavaPairRDD<Long, Example> blocks, long blockCount, long tokenCount) {}

    private record Fragment(int offset, int[] tokens) implements Serializable {}

    public static Packed pack(JavaRDD<int[]> documents, int blockLen, String dataset) {
        List<Tuple2<Integer, Long>> sizes = documents.mapPartitionsWithIndex((p, docs) -> {
            long sum = 0;
            while (docs.hasNext()) sum += docs.next().length;
            return List.of(new Tuple2<>(p, sum)).iterator();
        }, false).collect();
        long[] starts = new long[sizes.size()];
        long total = 0;
        for (Tuple2<Integer, Long> s : sizes) {
            starts[s._1()] = s._2();
        }
        for (int p = 0; p < starts.length; p++) {
            long size = starts[p];
            starts[p] = total;
            total += size;
        }
        long blocks = total / blockLen;
        JavaPairRDD<Long, Fragment> fragments = documents
                .mapPartitionsWithIndex((p, docs) -> fragments(docs, starts[p], blockLen, blocks), false)
                .mapToPair(t -> t);
        JavaPairRDD<Long, Example> packed = fragments.groupByKey().mapToPair(group -> {
            int[] ids = new int[blockLen];
            for (Fragment f : group._2()) System.arraycopy(f.tokens(), 0, ids, f.offset(), f.tokens().length);
            return new Tuple2<>(group._1(), new Example(dataset + ":" + group._1(), dataset, ids, ids.clone()));
        });
        return new Packed(packed, blocks, total);
    }

    private static Iterator<Tuple2<Long, Fragment>> fragments(Iterator<int[]> docs, long start, int blockLen,
                                                              long blocks) {
        List<Tuple2<Long, Fragment>> out = new ArrayList<>();
        long pos = start;
        long currentBlock = -1;
        int offset = 0;
        int[] buf = new int[blockLen];
        int filled = 0;
        outer:
        while (docs.hasNext()) {
            for (int token : docs.next()) {
                long block = pos / blockLen;
                if (block >= blocks) break outer;
                if (block != currentBlock) {
                    if (filled > 0) out.add(new Tuple2<>(currentBlock, new Fragment(offset, Arrays.copyOf(buf, filled))));
                    currentBlock = block;
                    offset = (int) (pos % blockLen);
                    filled = 0;
                }
                buf[filled++] = token;
                pos++;
            }
        }
        if (filled > 0) out.add(new Tuple2<>(currentBlock, new Fragment(offset, Arrays.copyOf(buf, filled))));
        return out.iterator();
    }
}
