package org.dataflex.datasets.tokenizer;

import java.io.Serializable;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A byte-level BPE tokenizer with special tokens. Implementations are serializable so Spark tasks can
 * tokenize on executors; special-token strings in ordinary text are encoded as plain text, never as specials.
 */
public interface TextTokenizer extends Serializable {
    /** Short description for logs and run provenance, e.g. {@code gpt2 (r50k_base)} or a directory. */
    String name();

    /** Ordinary text to ids; never produces special ids. */
    int[] encode(String text);

    String decode(int[] ids);

    /** Total vocabulary including special tokens (the model's embedding rows). */
    int vocabSize();

    int eosId();

    /** Padding id (the eos id when the vocabulary has no dedicated pad token, as with GPT-2). */
    int padId();

    /** Id of a special token such as {@code <|im_start|>}, if the vocabulary has it. */
    OptionalInt specialTokenId(String token);

    /** All special tokens with their ids. */
    Map<String, Integer> specialTokens();
}
