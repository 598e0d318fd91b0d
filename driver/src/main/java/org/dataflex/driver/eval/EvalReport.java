package org.dataflex.driver.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Token-weighted eval loss overall and per domain, with perplexities. */
public record EvalReport(double loss, long tokens, long examples, Map<String, Double> domainLoss,
                         Map<String, Long> domainTokens) {

    public static EvalReport of(Map<String, double[]> sums) {
        double lossSum = 0;
        long tokens = 0;
        long examples = 0;
        Map<String, Double> domainLoss = new TreeMap<>();
        Map<String, Long> domainTokens = new TreeMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            lossSum += s[0];
            tokens += (long) s[1];
            examples += (long) s[2];
            domainLoss.put(e.getKey(), s[1] > 0 ? s[0] / s[1] : Double.NaN);
            domainTokens.put(e.getKey(), (long) s[1]);
        }
        if (tokens == 0) throw new IllegalStateException("the eval set has no tokens that carry loss");
        return new EvalReport(lossSum / tokens, tokens, examples, domainLoss, domainTokens);
    }

    public double perplexity() { return Math.exp(loss); }

    /** Flat metrics in HF style: eval_loss, eval_perplexity, eval_<domain>_loss, eval_<domain>_perplexity. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eval_loss", loss);
        m.put("eval_perplexity", perplexity());
        m.put("eval_tokens", tokens);
        m.put("eval_examples", examples);
        if (domainLoss.size() > 1) {
            domainLoss.forEach((d, l) -> {
                m.put("eval_" + d + "_loss", l);
                m.put("eval_" + d + "_perplexity", Math.exp(l));
            });
        }
        return m;
    }
}
