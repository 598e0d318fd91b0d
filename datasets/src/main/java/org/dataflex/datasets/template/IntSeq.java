package org.dataflex.datasets.template;

import java.util.Arrays;

/** A growable int array. */
final class IntSeq {
    private int[] values = new int[64];
    private int size;

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    void addAll(int[] vs, int count) {
        if (size + count > values.length) values = Arrays.copyOf(values, Math.max(size + count, size * 2));
        System.arraycopy(vs, 0, values, size, count);
        size += count;
    }

    void addAll(int[] vs) {
        addAll(vs, vs.length);
    }

    void fill(int v, int count) {
        for (int i = 0; i < count; i++) add(v);
    }

    int size() { return size; }

    int[] toArray() { return Arrays.copyOf(values, size); }
}
