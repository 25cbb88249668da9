package io.fulcrum.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WildcardPatternTest {

    private static boolean cs(String pattern, String input) {
        return WildcardPattern.compile(pattern, false).matches(input);
    }

    private static boolean ci(String pattern, String input) {
        return WildcardPattern.compile(pattern, true).matches(input);
    }

    @Test
    void literalMatchesOnlyItself() {
        assertThat(cs("/api", "/api")).isTrue();
        assertThat(cs("/api", "/api/")).isFalse();
        assertThat(cs("/api", "/ap")).isFalse();
        assertThat(cs("", "")).isTrue();
        assertThat(cs("", "a")).isFalse();
        assertThat(WildcardPattern.compile("/api", false).isLiteral()).isTrue();
    }

    @Test
    void starMatchesZeroOrMoreCharacters() {
        assertThat(cs("/api/*", "/api/")).isTrue();
        assertThat(cs("/api/*", "/api/v1/users")).isTrue();
        assertThat(cs("/api/*", "/api")).isFalse();
        assertThat(cs("*", "")).isTrue();
        assertThat(cs("*", "anything")).isTrue();
        assertThat(cs("*.jpg", "/img/a.jpg")).isTrue();
        assertThat(cs("*.jpg", "/img/a.jpeg")).isFalse();
        assertThat(cs("/a*b*c", "/aXXbYYc")).isTrue();
        assertThat(cs("/a*b*c", "/aXXbYYcd")).isFalse();
        assertThat(cs("a**b", "ab")).isTrue();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertThat(cs("/v?/x", "/v1/x")).isTrue();
        assertThat(cs("/v?/x", "/v/x")).isFalse();
        assertThat(cs("/v?/x", "/v12/x")).isFalse();
        assertThat(cs("???", "abc")).isTrue();
        assertThat(cs("?*", "")).isFalse();
        assertThat(cs("?*", "a")).isTrue();
    }

    @Test
    void caseSensitivityIsChosenPerPattern() {
        assertThat(cs("/API/*", "/api/x")).isFalse();
        assertThat(ci("*.EXAMPLE.com", "www.example.COM")).isTrue();
        assertThat(ci("www.example.com", "WWW.EXAMPLE.COM")).isTrue();
        assertThat(ci("straße", "STRAßE")).isTrue();
    }

    @Test
    void backtrackingPatternsStayCorrectAndFast() {
        String input = "a".repeat(5000);
        // Exponential matchers never finish this; the single-backtrack walk does it in about n*m steps.
        assertThat(cs("*a*a*a*a*a*a*a*b", input)).isFalse();
        assertThat(cs("*a*a*a*a*a*a*a*a", input)).isTrue();
        assertThat(cs("*aab", "aaaaaab")).isTrue();
        assertThat(cs("*ab*ab", "abxabxab")).isTrue();
        assertThat(cs("a*b?d", "abbbcd")).isTrue();
        assertThat(cs("a*b?d", "abbbd")).isTrue();
        assertThat(cs("a*b?d", "abd")).isFalse();
    }

    @Test
    void matchesASliceOfACharSequence() {
        WildcardPattern p = WildcardPattern.compile("b*d", false);
        assertThat(p.matches("abcde", 1, 4)).isTrue();
        assertThat(p.matches("abcde", 1, 5)).isFalse();
        assertThat(p.matches((CharSequence) null)).isFalse();
    }

    @Test
    void escapesMakeWildcardCharactersLiteral() {
        WildcardPattern p = WildcardPattern.compileWithEscapes("a\\*b\\?", true);
        assertThat(p.isLiteral()).isTrue();
        assertThat(p.matches("a*b?")).isTrue();
        assertThat(p.matches("axb?")).isFalse();
        assertThat(WildcardPattern.compileWithEscapes("a\\\\*", false).matches("a\\zzz")).isTrue();
        assertThat(WildcardPattern.compileWithEscapes("a\\x", false).matches("a\\x")).isTrue();
        // Without escapes a backslash is an ordinary character and the star still a wildcard.
        assertThat(WildcardPattern.compile("a\\*", false).matches("a\\zzz")).isTrue();
    }

    @Test
    void literalTextIsFoldedAndOnlyForLiterals() {
        assertThat(WildcardPattern.compile("WWW.Example.com", true).literalText()).isEqualTo("www.example.com");
        assertThatThrownBy(() -> WildcardPattern.compile("*.example.com", true).literalText())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("*.example.com");
    }

    @Test
    void agreesWithARegexOracleOnRandomInputs() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "abAB";
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomString(random, "ab*?A", 6);
            String input = randomString(random, alphabet, 8);
            boolean ignoreCase = random.nextBoolean();
            StringBuilder regex = new StringBuilder(ignoreCase ? "(?i)" : "");
            for (char c : pattern.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
            }
            boolean expected = input.matches(regex.toString());
            assertThat(WildcardPattern.compile(pattern, ignoreCase).matches(input))
                    .as("%s ~ %s (ignoreCase=%s)", pattern, input, ignoreCase)
                    .isEqualTo(expected);
        }
    }

    private static String randomString(java.util.Random random, String alphabet, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
