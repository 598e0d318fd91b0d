package org.dataflex.datasets.tokenizer;

import java.util.Locale;

/** Resolves a tokenizer spec: {@code gpt2} / {@code r50k_base}, or a directory written by {@link BpeTrainer}. */
public final class Tokenizers {
    private Tokenizers() {}

    public static TextTokenizer load(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("tokenizer spec is empty: use gpt2, r50k_base or a tokenizer directory");
        }
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("gpt2") || lower.equals("r50k_base")) {
            return TiktokenTokenizer.gpt2();
        }
        return TokenizerFiles.load(s);
    }
}
