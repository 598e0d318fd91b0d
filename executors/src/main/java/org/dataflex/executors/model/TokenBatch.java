package org.dataflex.executors.model;

import org.dataflex.datasets.Example;

import java.util.List;

/**
 * A right-padded batch [B, T] (pad id 0, padded labels ignored) and the positions that carry loss, with HF
 * alignment: the hidden state at t of sample b is scored against labels[b][t + 1].
 */
public final class TokenBatch {
    public static final long PAD_ID = 0;

    private final List<Example> examples;
    private final int batchSize;
    private final int seqLen;
    private final long[] inputIds;
    private final int[] lossPositions;
    private final long[] lossTargets;
    private final int[] lossOwners;
    private final int[] tokensPerSample;
    private final long inputTokens;

    private TokenBatch(List<Example> examples, ModelConfig config) {
        if (examples.isEmpty()) throw new IllegalArgumentException("a batch needs at least one example");
        this.examples = List.copyOf(examples);
        int maxLen = 0;
        long tokens = 0;
        int lossCount = 0;
        for (Example e : examples) {
            if (e.length() == 0) throw new IllegalArgumentException("example " + e.id() + " has no tokens");
            if (e.length() > config.nPositions()) {
                throw new IllegalArgumentException("example " + e.id() + " has " + e.length()
                        + " tokens, more than the model's n_positions " + config.nPositions()
                        + " (truncate it with cutoff_len)");
            }
            maxLen = Math.max(maxLen, e.length());
            tokens += e.length();
            lossCount += e.lossTokens();
        }
        this.batchSize = examples.size();
        this.seqLen = maxLen;
        this.inputTokens = tokens;
        this.inputIds = new long[batchSize * seqLen];
        this.lossPositions = new int[lossCount];
        this.lossTargets = new long[lossCount];
        this.lossOwners = new int[lossCount];
        this.tokensPerSample = new int[batchSize];
        int k = 0;
        for (int b = 0; b < batchSize; b++) {
            Example e = examples.get(b);
            int[] ids = e.inputIds();
            int[] labels = e.labels();
            for (int t = 0; t < ids.length; t++) {
                if (ids[t] < 0 || ids[t] >= config.vocabSize()) {
                    throw new IllegalArgumentException("example " + e.id() + ": token id " + ids[t] + " at position "
                            + t + " is outside the vocabulary [0, " + config.vocabSize() + ")");
                }
                inputIds[b * seqLen + t] = ids[t];
            }
            for (int t = 0; t + 1 < labels.length; t++) {
                int label = labels[t + 1];
                if (label == Example.IGNORE_INDEX) continue;
                if (label < 0 || label >= config.vocabSize()) {
                    throw new IllegalArgumentException("example " + e.id() + ": label " + label + " at position "
                            + (t + 1) + " is outside the vocabulary [0, " + config.vocabSize() + ")");
                }
                lossPositions[k] = b * seqLen + t;
                lossTargets[k] = label;
                lossOwners[k] = b;
                tokensPerSample[b]++;
                k++;
            }
        }
    }

    public static TokenBatch of(List<Example> examples, ModelConfig config) {
        return new TokenBatch(examples, config);
    }

    public List<Example> examples() { return examples; }
    public int batchSize() { return batchSize; }
    public int seqLen() { return seqLen; }
    /** Row-major [B, T] token ids, padded with {@link #PAD_ID}. */
    public long[] inputIds() { return inputIds; }
    /** Flat indices b * T + t of the hidden states that carry loss. */
    public int[] lossPositions() { return lossPositions; }
    public long[] lossTargets() { return lossTargets; }
    /** The sample each loss position belongs to. */
    public int[] lossOwners() { return lossOwners; }
    public int[] tokensPerSample() { return tokensPerSample; }
    public int lossTokens() { return lossPositions.length; }
    /** Real (unpadded) input tokens. */
    public long inputTokens() { return inputTokens; }

    public List<String> ids() {
        return examples.stream().map(Example::id).toList();
    }
}
