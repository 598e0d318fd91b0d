package org.dataflex.executors.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd switch for the calling thread (it is thread-local). Inference turns it off so that forward
 * passes over trainable parameters build no graph, without affecting a training step on another thread.
 */
public final class GradMode {
    private GradMode() {}

    /** Turns gradient recording off for this thread and returns the previous setting. */
    public static boolean disable() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return previous;
    }

    public static void restore(boolean previous) {
        JniUtils.setGradMode(previous);
    }
}
