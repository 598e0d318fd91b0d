package org.dataflex.executors.bench;

import org.dataflex.datasets.Example;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.optim.OptimizerSpec;
import org.dataflex.executors.train.ReplicaSpec;
import org.dataflex.executors.train.StepResult;
import org.dataflex.executors.train.TrainingReplica;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bare training throughput: {@code StepBenchmark <preset> <batch> <seqLen> <steps> [vocab]} trains a fresh model
 * on random tokens and prints tokens/s (after one warm-up step that is not timed).
 */
public final class StepBenchmark {
    private StepBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: StepBenchmark <preset> <batch> <seqLen> <steps> [vocab=8192]; presets: "
                    + ModelConfig.presetNames());
            System.exit(2);
        }
        String preset = args[0];
        int batch = Integer.parseInt(args[1]);
        int seqLen = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int vocab = args.length > 4 ? Integer.parseInt(args[4]) : 8192;
        ModelConfig config = ModelConfig.preset(preset, vocab);
        if (seqLen > config.nPositions()) {
            throw new IllegalArgumentException("seqLen " + seqLen + " exceeds " + preset + "'s n_positions "
                    + config.nPositions());
        }
        ReplicaSpec spec = new ReplicaSpec(config, null, OptimizerSpec.defaults(3e-4, "constant", 0, steps + 1),
                null, 1);
        SplittableRandom rng = new SplittableRandom(1);
        try (TrainingReplica replica = TrainingReplica.create(spec)) {
            replica.trainStep(List.of(randomBatch(rng, batch, seqLen, vocab)));
            long tokens = 0;
            long start = System.nanoTime();
            StepResult last = null;
            for (int s = 0; s < steps; s++) {
                last = replica.trainStep(List.of(randomBatch(rng, batch, seqLen, vocab)));
                tokens += last.inputTokens();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("preset=%s params=%d batch=%d seq_len=%d steps=%d loss=%.4f seconds=%.3f tokens_per_s=%.1f%n",
                    preset, config.parameterCount(), batch, seqLen, steps, last == null ? Double.NaN : last.loss(),
                    seconds, tokens / seconds);
        }
    }

    private static List<Example> randomBatch(SplittableRandom rng, int batch, int seqLen, int vocab) {
        List<Example> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] ids = new int[seqLen];
            for (int t = 0; t < seqLen; t++) ids[t] = 1 + rng.nextInt(vocab - 1);
            out.add(new Example("bench-" + b, "bench", ids, ids.clone()));
        }
        return out;
    }
}
