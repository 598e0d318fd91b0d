package org.dataflex.executors.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Collection;

/** Global L2-norm gradient clipping as torch's clip_grad_norm_ (coefficient max / (norm + 1e-6), capped at 1). */
public final class GradientClipping {
    private GradientClipping() {}

    /** The global L2 norm of the gradients. */
    public static double globalNorm(Collection<NDArray> grads) {
        double sumSq = 0;
        for (NDArray g : grads) {
            try (NDArray n = g.norm()) {
                double v = n.getDataType() == DataType.FLOAT64 ? n.getDouble() : n.getFloat();
                sumSq += v * v;
            }
        }
        return Math.sqrt(sumSq);
    }

    /** Scales the gradients in place when their norm exceeds {@code maxNorm} (0 = off); returns the pre-clip norm. */
    public static double clip(Collection<NDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (NDArray g : grads) g.muli(coef);
            }
        }
        return norm;
    }
}
