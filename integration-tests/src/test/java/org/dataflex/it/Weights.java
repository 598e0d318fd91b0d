package org.dataflex.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dataflex.executors.io.SafeTensors;

/** Compares the weights and logged metrics of two runs. */
final class Weights {
    private Weights() {}

    static void assertSameWeights(Path a, Path b, double tolerance) {
        Map<String, SafeTensors.Tensor> x = SafeTensors.read(a).tensors();
        Map<String, SafeTensors.Tensor> y = SafeTensors.read(b).tensors();
        assertEquals(x.keySet(), y.keySet());
        double worst = 0;
        for (String name : x.keySet()) {
            float[] p = x.get(name).data();
            float[] q = y.get(name).data();
            assertEquals(p.length, q.length, name);
            for (int i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]));
        }
        assertTrue(worst <= tolerance, "weights differ by up to " + worst);
    }

    static void assertSameTrainingMetrics(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        assertSameTrainingMetrics(a, b, 1e-6);
    }

    static void assertSameTrainingMetrics(List<Map<String, Object>> a, List<Map<String, Object>> b,
                                          double tolerance) {
        assertEquals(a.size(), b.size(), "number of metric records");
        for (int i = 0; i < a.size(); i++) {
            for (String key : List.of("step", "loss", "learning_rate", "grad_norm", "eval_loss")) {
                if (!a.get(i).containsKey(key)) continue;
                assertEquals(RunFiles.num(a.get(i), key), RunFiles.num(b.get(i), key), tolerance,
                        key + " of record " + i + ": " + a.get(i) + " vs " + b.get(i));
            }
        }
    }
}
