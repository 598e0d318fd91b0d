package org.dataflex.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** CLI runs and run comparisons for the tests in other packages (the cluster tests). */
public final class ClusterRuns {
    private ClusterRuns() {}

    /** {@code train CONFIG} with the repository's data, tokenizer and components, then {@code overrides}. */
    public static String[] train(String config, String... overrides) {
        List<String> argv = new ArrayList<>(List.of(Cli.train(config, Cli.tokenizer(),
                "components_cfg_file=" + Cli.REPO.resolve("conf/components.yaml"))));
        argv.addAll(List.of(overrides));
        return argv.toArray(String[]::new);
    }

    public static String[] with(String[] argv, String... more) {
        String[] all = Arrays.copyOf(argv, argv.length + more.length);
        System.arraycopy(more, 0, all, argv.length, more.length);
        return all;
    }

    public static void ok(String... argv) {
        Cli.ok(argv);
    }

    @SuppressWarnings("unchecked")
    public static List<Integer> selection(Path run, int step) {
        Map<String, Object> doc = RunFiles.json(run.resolve("selections/step_" + step + ".json"));
        return (List<Integer>) doc.get("indices");
    }

    /** Same final weights (within {@code tolerance}) and the same logged losses, rates and evals. */
    public static void assertSameRun(Path a, Path b, int finalStep, double tolerance) {
        String weights = "checkpoints/step_" + finalStep + "/model.safetensors";
        Weights.assertSameWeights(a.resolve(weights), b.resolve(weights), tolerance);
        Weights.assertSameTrainingMetrics(RunFiles.metrics(a), RunFiles.metrics(b), Math.max(tolerance, 1e-6));
    }
}
