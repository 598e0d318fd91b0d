package org.dataflex.driver.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.TreeMap;
import org.dataflex.driver.exec.EvalTask;
import org.junit.jupiter.api.Test;

class EvalReportTest {
    @Test
    void lossIsTokenWeightedOverDomains() {
        Map<String, double[]> a = new TreeMap<>(Map.of("books", new double[] {30, 10, 2}));
        Map<String, double[]> b = new TreeMap<>(Map.of("books", new double[] {10, 10, 1},
                "code", new double[] {60, 30, 3}));
        EvalReport r = EvalReport.of(EvalTask.merge(a, b));
        assertEquals(100.0 / 50, r.loss(), 1e-12);
        assertEquals(2.0, r.domainLoss().get("books"), 1e-12);
        assertEquals(2.0, r.domainLoss().get("code"), 1e-12);
        assertEquals(50, r.tokens());
        assertEquals(6, r.examples());
        assertEquals(Math.exp(2.0), (double) r.metrics().get("eval_perplexity"), 1e-9);
        assertTrue(r.metrics().containsKey("eval_code_loss"));
        assertEquals(30.0, a.get("books")[0], "merge must not modify its inputs");
    }

    @Test
    void anEvalSetWithoutLossTokensIsAnError() {
        assertThrows(IllegalStateException.class, () -> EvalReport.of(Map.of("x", new double[] {0, 0, 1})));
    }
}
