package org.dataflex.algorithms.schedule;

import java.util.SplittableRandom;

/**
 * A seeded Fisher–Yates permutation of {@code [0, n)}: the data order of one epoch. The same (seed, epoch) gives the
 * same order in every JVM, so a resumed run and a re-executed Spark task see identical batches.
 */
public final class SeededPermutation {
    private SeededPermutation() {}

    public static int[] of(int n, long seed, long epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /** Derives an independent stream per (seed, purpose) pair; SplitMix64's finaliser spreads nearby inputs. */
    public static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
