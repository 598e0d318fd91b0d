package org.dataflex.datasets.pipeline;

import org.apache.spark.Partitioner;

/** Sends dense keys 0..total-1 to partitions as contiguous, equally sized ranges (order-preserving). */
public final class ContiguousPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final long total;
    private final int partitions;

    public ContiguousPartitioner(long total, int partitions) {
        this.total = Math.max(total, 1);
        this.partitions = Math.max(partitions, 1);
    }

    @Override public int numPartitions() { return partitions; }

    @Override public int getPartition(Object key) {
        long k = (Long) key;
        return (int) Math.min(partitions - 1, Math.max(0, k * partitions / total));
    }

    @Override public boolean equals(Object o) {
        return o instanceof ContiguousPartitioner p && p.total == total && p.partitions == partitions;
    }

    @Override public int hashCode() { return Long.hashCode(total) * 31 + partitions; }
}
