package io.fulcrum.routing;

import java.util.Objects;

/**
 * An ALB wildcard pattern: {@code *} matches zero or more characters, {@code ?} exactly one; matched
 * iteratively without allocation or regular expressions.
 *
 * <p>The matcher is the classic greedy glob walk that remembers only the last {@code *}: on a mismatch it
 * retries from one character further after that star. Earlier stars never need revisiting, so the cost is
 * at most pattern length × input length (patterns such as {@code *a*a*a*b} cannot blow up), and usually
 * linear. Instances are immutable and safe to share between threads.
 */
public final class WildcardPattern {
    private static final int STAR = -1;
    private static final int ANY = -2;

    private final String pattern;
    private final boolean ignoreCase;
    /** Pattern tokens: STAR, ANY, or a character (already lower-cased when ignoreCase). */
    private final int[] tokens;
    /** Number of tokens that consume exactly one character: the shortest input that can match. */
    private final int minLength;
    private final boolean hasStar;
    private final boolean literal;

    private WildcardPattern(String pattern, boolean ignoreCase, boolean escapes) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.ignoreCase = ignoreCase;
        int[] buf = new int[pattern.length()];
        int n = 0;
        int fixed = 0;
        boolean star = false;
        boolean wild = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escapes && c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(i + 1);
                if (next == '*' || next == '?' || next == '\\') {
                    buf[n++] = fold(next);
                    fixed++;
                    i++;
                    continue;
                }
            }
            if (c == '*') {
                star = true;
                wild = true;
                if (n == 0 || buf[n - 1] != STAR) { // "**" is the same as "*"
                    buf[n++] = STAR;
                }
            } else if (c == '?') {
                wild = true;
                buf[n++] = ANY;
                fixed++;
            } else {
                buf[n++] = fold(c);
                fixed++;
            }
        }
        this.tokens = java.util.Arrays.copyOf(buf, n);
        this.minLength = fixed;
        this.hasStar = star;
        this.literal = !wild;
    }

    /** A pattern where {@code *} and {@code ?} are always wildcards (host-header, path-pattern, http-header). */
    public static WildcardPattern compile(String pattern, boolean ignoreCase) {
        return new WildcardPattern(pattern, ignoreCase, false);
    }

    /**
     * A pattern where {@code \*}, {@code \?} and {@code \\} stand for the literal character, as ALB's
     * query-string condition wants; a backslash before anything else is itself literal.
     */
    public static WildcardPattern compileWithEscapes(String pattern, boolean ignoreCase) {
        return new WildcardPattern(pattern, ignoreCase, true);
    }

    /** The pattern text as given. */
    public String pattern() {
        return pattern;
    }

    /** Whether letters are compared without regard to case. */
    public boolean ignoreCase() {
        return ignoreCase;
    }

    /** True when the pattern has no wildcard, so it matches exactly one string. */
    public boolean isLiteral() {
        return literal;
    }

    /**
     * The single string this literal pattern matches (escapes resolved, lower-cased when case-insensitive).
     *
     * @throws IllegalStateException when the pattern has wildcards
     */
    public String literalText() {
        if (!literal) {
            throw new IllegalStateException("pattern: " + pattern + " (expected: no wildcards)");
        }
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int t : tokens) {
            sb.append((char) t);
        }
        return sb.toString();
    }

    /** Whether the whole of {@code input} matches. A null input never matches. */
    public boolean matches(CharSequence input) {
        return input != null && matches(input, 0, input.length());
    }

    /** Whether {@code input[from, to)} matches as a whole. */
    public boolean matches(CharSequence input, int from, int to) {
        int len = to - from;
        if (len < minLength || (!hasStar && len != minLength)) {
            return false;
        }
        int[] tok = tokens;
        int n = tok.length;
        int p = 0;
        int s = from;
        int starP = -1;
        int starS = -1;
        while (s < to) {
            if (p < n) {
                int t = tok[p];
                if (t == STAR) {
                    starP = p++;
                    starS = s;
                    continue;
                }
                if (t == ANY || same(t, input.charAt(s))) {
                    p++;
                    s++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            // Let the last star swallow one more character and retry what follows it.
            p = starP + 1;
            s = ++starS;
        }
        while (p < n && tok[p] == STAR) {
            p++;
        }
        return p == n;
    }

    private boolean same(int token, char c) {
        return token == c || (ignoreCase && token == fold(c));
    }

    private int fold(char c) {
        if (!ignoreCase) {
            return c;
        }
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        }
        return Character.toLowerCase(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WildcardPattern other && other.ignoreCase == ignoreCase
                && java.util.Arrays.equals(other.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(tokens) * 31 + (ignoreCase ? 1 : 0);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
