package org.dataflex.executors.testutil;

import org.dataflex.datasets.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded toy examples for executor tests. */
public final class Examples {
    private Examples() {}

    /** A causal-LM example whose labels equal its inputs (every position after the first carries loss). */
    public static Example lm(String id, int... tokens) {
        return new Example(id, "toy", tokens.clone(), tokens.clone());
    }

    public static List<Example> random(int count, int minLen, int maxLen, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int len = minLen + rng.nextInt(maxLen - minLen + 1);
            int[] ids = new int[len];
            for (int t = 0; t < len; t++) ids[t] = 1 + rng.nextInt(vocab - 1);
            int[] labels = ids.clone();
            // mask a random prompt prefix, as SFT examples do
            int prompt = rng.nextInt(Math.max(1, len / 2));
            for (int t = 0; t < prompt; t++) labels[t] = Example.IGNORE_INDEX;
            out.add(new Example("ex" + seed + "-" + i, i % 2 == 0 ? "a" : "b", ids, labels));
        }
        return out;
    }
}
