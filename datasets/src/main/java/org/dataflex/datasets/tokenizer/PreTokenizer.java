package org.dataflex.datasets.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GPT-2 (r50k_base) pre-tokenization: the regex that splits text into words before byte-level BPE. */
public final class PreTokenizer {
    /** The r50k_base split pattern, as used by tiktoken and jtokkit. */
    public static final String R50K_PATTERN =
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private PreTokenizer() {}

    /** Compiles a split pattern the way jtokkit does (Unicode character classes when the JDK supports them). */
    public static Pattern compile(String pattern) {
        try {
            return Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (IllegalArgumentException e) {
            return Pattern.compile(pattern);
        }
    }

    /** Splits text into the pieces that BPE merges never cross. */
    public static List<String> split(Pattern pattern, String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }
}
