package org.dataflex.datasets;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean" candidates for a mistyped name: small edit distance or one name containing the other. */
public final class NameSuggestions {
    private static final int MAX_SUGGESTIONS = 5;

    private NameSuggestions() {}

    public static List<String> closest(String wanted, Collection<String> known) {
        String w = wanted.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, w.length() / 3);
        return known.stream()
                .filter(k -> {
                    String kl = k.toLowerCase(Locale.ROOT);
                    return distance(w, kl) <= limit || (w.length() >= 3 && (kl.contains(w) || w.contains(kl)));
                })
                .sorted(Comparator.comparingInt((String k) -> distance(w, k.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(MAX_SUGGESTIONS)
                .toList();
    }

    /** "; did you mean a, b?" or an empty string when nothing is close. */
    public static String hint(String wanted, Collection<String> known) {
        List<String> close = closest(wanted, known);
        return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
    }

    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
