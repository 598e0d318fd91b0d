package org.dataflex.datasets.tokenizer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The merge loop of byte-level BPE over a table of (word, count).
 *
 * <p>Pair counts are kept incrementally with an index from each pair to the words containing it, so a merge
 * touches only the words where the merged pair occurs. The most frequent pair wins; ties go to the smallest
 * (left id, right id), which makes the result independent of any hash or input order. When a merged byte
 * string already exists as a token (two merge paths to the same bytes), words use the existing token and no
 * new rank is spent, so every rank maps to distinct bytes as tiktoken requires.
 */
final class BpeMerger {
    private final List<byte[]> tokens = new ArrayList<>();
    private final Map<ByteBuffer, Integer> idsByBytes = new HashMap<>();
    private final int[][] words;
    private final long[] counts;
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, IntList> wordsByPair = new HashMap<>();
    private final PriorityQueue<PairCount> queue = new PriorityQueue<>();
    private final int[] visitStamp;
    private int stamp;

    /** @param wordBytes distinct words (UTF-8 bytes), in a deterministic order; {@code wordCounts} aligned */
    BpeMerger(List<byte[]> wordBytes, long[] wordCounts) {
        for (int b = 0; b < 256; b++) {
            addToken(new byte[] {(byte) b});
        }
        words = new int[wordBytes.size()][];
        counts = wordCounts.clone();
        visitStamp = new int[words.length];
        for (int w = 0; w < words.length; w++) {
            byte[] bytes = wordBytes.get(w);
            int[] syms = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) syms[i] = bytes[i] & 0xff;
            words[w] = syms;
            for (int i = 0; i + 1 < syms.length; i++) {
                long key = pairKey(syms[i], syms[i + 1]);
                pairCounts.merge(key, counts[w], Long::sum);
                wordsByPair.computeIfAbsent(key, k -> new IntList()).add(w);
            }
        }
        pairCounts.forEach((key, count) -> queue.add(new PairCount(key, count)));
    }

    /** Merges until the vocabulary holds {@code targetTokens} ordinary tokens or no pair is left; tokens in rank order. */
    List<byte[]> run(int targetTokens) {
        while (tokens.size() < targetTokens) {
            PairCount top = queue.poll();
            if (top == null) break;
            Long current = pairCounts.get(top.key);
            if (current == null || current != top.count) continue; // stale queue entry
            merge(top.key);
        }
        return tokens;
    }

    private void merge(long key) {
        int left = (int) (key >>> 32);
        int right = (int) key;
        byte[] merged = concat(tokens.get(left), tokens.get(right));
        Integer existing = idsByBytes.get(ByteBuffer.wrap(merged));
        int newId = existing != null ? existing : addToken(merged);

        Map<Long, Long> deltas = new HashMap<>();
        IntList candidates = wordsByPair.remove(key);
        stamp++;
        for (int n = 0; n < candidates.size; n++) {
            int w = candidates.values[n];
            if (visitStamp[w] == stamp) continue;
            visitStamp[w] = stamp;
            int[] syms = words[w];
            if (!containsPair(syms, left, right)) continue;
            long c = counts[w];
            addPairs(syms, -c, deltas);
            int[] mergedSyms = replacePair(syms, left, right, newId);
            words[w] = mergedSyms;
            addPairs(mergedSyms, c, deltas);
            for (int i = 0; i + 1 < mergedSyms.length; i++) {
                if (mergedSyms[i] == newId || mergedSyms[i + 1] == newId) {
                    wordsByPair.computeIfAbsent(pairKey(mergedSyms[i], mergedSyms[i + 1]), k -> new IntList()).add(w);
                }
            }
        }
        deltas.forEach((pair, delta) -> {
            if (delta == 0) return;
            long updated = pairCounts.getOrDefault(pair, 0L) + delta;
            if (updated <= 0) {
                pairCounts.remove(pair);
            } else {
                pairCounts.put(pair, updated);
                queue.add(new PairCount(pair, updated));
            }
        });
        pairCounts.remove(key);
    }

    private int addToken(byte[] bytes) {
        int id = tokens.size();
        tokens.add(bytes);
        idsByBytes.put(ByteBuffer.wrap(bytes), id);
        return id;
    }

    private static void addPairs(int[] syms, long count, Map<Long, Long> deltas) {
        for (int i = 0; i + 1 < syms.length; i++) {
            deltas.merge(pairKey(syms[i], syms[i + 1]), count, Long::sum);
        }
    }

    private static boolean containsPair(int[] syms, int left, int right) {
        for (int i = 0; i + 1 < syms.length; i++) {
            if (syms[i] == left && syms[i + 1] == right) return true;
        }
        return false;
    }

    /** Left-to-right, non-overlapping replacement of (left, right) by merged. */
    private static int[] replacePair(int[] syms, int left, int right, int merged) {
        int[] out = new int[syms.length];
        int n = 0;
        for (int i = 0; i < syms.length; i++) {
            if (i + 1 < syms.length && syms[i] == left && syms[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = syms[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /** Queue entry; higher counts first, then the smaller (left, right) pair. */
    private record PairCount(long key, long count) implements Comparable<PairCount> {
        @Override public int compareTo(PairCount o) {
            int byCount = Long.compare(o.count, count);
            return byCount != 0 ? byCount : Long.compare(key, o.key);
        }
    }

    /** Growable int array (word indices per pair), cheaper than boxed lists. */
    private static final class IntList {
        int[] values = new int[4];
        int size;

        void add(int v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }
    }
}
