package org.dataflex.driver.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean" help: the valid names closest to a misspelt one by edit distance. */
final class NameSuggestions {
    private static final int MAX_SUGGESTIONS = 3;

    private NameSuggestions() {
    }

    /** Up to three valid names within an edit distance that scales with the name's length, closest first. */
    static List<String> closest(String wrong, Collection<String> valid) {
        int limit = Math.max(2, wrong.length() / 3);
        return valid.stream()
                .map(name -> new Scored(name, distance(wrong, name)))
                .filter(scored -> scored.distance <= limit)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(MAX_SUGGESTIONS)
                .map(Scored::name)
                .toList();
    }

    /** A sentence for error messages, e.g. {@code did you mean `learning_rate`?}. */
    static String hint(String wrong, Collection<String> valid) {
        List<String> names = closest(wrong, valid);
        if (names.isEmpty()) {
            return "no similar key is known";
        }
        return "did you mean " + String.join(" or ", names.stream().map(name -> "`" + name + "`").toList()) + "?";
    }

    /** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
    static int distance(String a, String b) {
        String left = a.toLowerCase(java.util.Locale.ROOT);
        String right = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[right.length() + 1];
        int[] current = new int[right.length() + 1];
        for (int j = 0; j <= right.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= left.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= right.length(); j++) {
                int substitution = previous[j - 1] + (left.charAt(i - 1) == right.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[right.length()];
    }

    private record Scored(String name, int distance) {
    }
}
