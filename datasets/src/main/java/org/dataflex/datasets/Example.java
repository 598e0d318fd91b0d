package org.dataflex.datasets;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training example after tokenization: the unit that selection, mixing and weighting talk about.
 *
 * <p>{@code labels} is aligned with {@code inputIds} (HF convention: the model shifts by one, so the logits at
 * position t are scored against {@code labels[t + 1]}); {@link #IGNORE_INDEX} marks positions without loss
 * (prompt tokens of SFT examples, padding). {@code id} is stable across runs, partitionings and resumes;
 * {@code domain} is the name of the source dataset.
 */
public final class Example implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Label value that carries no loss, as in PyTorch's cross-entropy. */
    public static final int IGNORE_INDEX = -100;

    private final String id;
    private final String domain;
    private final int[] inputIds;
    private final int[] labels;

    public Example(String id, String domain, int[] inputIds, int[] labels) {
        this.id = Objects.requireNonNull(id, "id");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.inputIds = Objects.requireNonNull(inputIds, "inputIds");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException("example " + id + ": " + inputIds.length + " input ids but "
                    + labels.length + " labels");
        }
    }

    public String id() { return id; }
    public String domain() { return domain; }
    public int[] inputIds() { return inputIds; }
    public int[] labels() { return labels; }
    public int length() { return inputIds.length; }

    /** Number of positions that contribute to the loss (a label at t >= 1 that is not ignored). */
    public int lossTokens() {
        int n = 0;
        for (int t = 1; t < labels.length; t++) {
            if (labels[t] != IGNORE_INDEX) n++;
        }
        return n;
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof Example)) return false;
        Example e = (Example) o;
        return id.equals(e.id) && domain.equals(e.domain) && Arrays.equals(inputIds, e.inputIds)
                && Arrays.equals(labels, e.labels);
    }

    @Override public int hashCode() { return Objects.hash(id, domain, Arrays.hashCode(inputIds)); }

    @Override public String toString() {
        return "Example{" + id + ", " + domain + ", " + inputIds.length + " tokens}";
    }
}
