package org.dataflex.algorithms.select;

/**
 * A per-sample quantity a selector needs the trainer to compute over the whole candidate pool before each
 * selection. The trainer computes only what {@link Selector#signals()} asks for.
 */
public enum Signal {
    /** Mean token cross-entropy of each pool sample under the current model (forward pass only). */
    LOSS,
    /** A projected (sketched) per-sample gradient feature, e.g. for LESS-style selectors. */
    GRADIENT_FEATURE,
    /** A per-sample hidden-state embedding, e.g. for clustering selectors. */
    EMBEDDING
}
