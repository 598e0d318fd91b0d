package org.dataflex.algorithms.select;

/** The salt that separates the warmup draws from the per-step selection streams of the same seed. */
final class WarmupStream {
    private WarmupStream() {}

    /** "WARMUP" in ASCII; any constant works as long as it never changes (resumed runs must see the same subset). */
    static final long SALT = 0x5741524D5550L;
}
