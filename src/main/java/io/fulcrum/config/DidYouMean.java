package io.fulcrum.config;

import java.util.Collection;
import java.util.Locale;

/** Finds the known name closest to a misspelt one (Levenshtein distance, ignoring case). */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The closest candidate, or null when none is close enough to be a likely typo. */
    public static String closest(String wrong, Collection<String> candidates) {
        String lowerWrong = wrong.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(lowerWrong, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // a third of the letters may be wrong, and at least one
        return best != null && bestDistance <= Math.max(1, Math.min(wrong.length(), best.length()) / 3) ? best : null;
    }

    /** " (did you mean 'x'?)" or " (expected one of: a, b, c)". */
    public static String hint(String wrong, Collection<String> candidates) {
        String closest = closest(wrong, candidates);
        return closest != null ? " (did you mean '" + closest + "'?)"
                : " (expected one of: " + String.join(", ", candidates) + ")";
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
