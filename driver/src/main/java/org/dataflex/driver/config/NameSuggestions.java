package org.dataflex.driver.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean" help for config keys and component names, worded for config errors. The matching itself is the
 * datasets module's (the same rule for dataset names and keys).
 */
final class NameSuggestions {
    private static final int MAX_SUGGESTIONS = 3;

    private NameSuggestions() {
    }

    /** Up to three valid names close to a misspelt one, closest first. */
    static List<String> closest(String wrong, Collection<String> valid) {
        return org.dataflex.datasets.NameSuggestions.closest(wrong, valid).stream().limit(MAX_SUGGESTIONS).toList();
    }

    /** A sentence for error messages, e.g. {@code did you mean `learning_rate`?}. */
    static String hint(String wrong, Collection<String> valid) {
        List<String> names = closest(wrong, valid);
        if (names.isEmpty()) {
            return "no similar key is known";
        }
        return "did you mean " + String.join(" or ", names.stream().map(name -> "`" + name + "`").toList()) + "?";
    }

    /** Case-insensitive Levenshtein distance. */
    static int distance(String a, String b) {
        return org.dataflex.datasets.NameSuggestions.distance(a.toLowerCase(Locale.ROOT), b.toLowerCase(Locale.ROOT));
    }
}
