package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StickyCookieTest {
    private static final long NOW = 1_800_000_000L;
    private final byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final StickyCookie cookie = new StickyCookie(secret);

    @Test
    void roundTrip() {
        String value = cookie.encode("10.0.0.12:8080", NOW + 86_400);
        assertThat(value).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(60);
        assertThat(cookie.decode(value, NOW)).isEqualTo("10.0.0.12:8080");
        assertThat(cookie.decode(cookie.encode("", NOW + 1), NOW)).isEmpty();
        assertThat(cookie.decode(cookie.encode("grüne-gruppe", NOW + 1), NOW)).isEqualTo("grüne-gruppe");
    }

    @Test
    void validAcrossInstancesWithTheSameSecret() {
        String value = cookie.encode("web-blue", NOW + 60);
        assertThat(new StickyCookie(secret.clone()).decode(value, NOW)).isEqualTo("web-blue");
    }

    @Test
    void expiresAtTheExpiry() {
        String value = cookie.encode("t1", NOW + 10);
        assertThat(cookie.decode(value, NOW + 9)).isEqualTo("t1");
        assertThat(cookie.decode(value, NOW + 10)).isNull();
        assertThat(cookie.decode(value, NOW + 1_000)).isNull();
    }

    @Test
    void aWrongSecretIsRejected() {
        byte[] other = secret.clone();
        other[0] ^= 1;
        String value = cookie.encode("t1", NOW + 60);
        assertThat(new StickyCookie(other).decode(value, NOW)).isNull();
        assertThat(new StickyCookie(StickyCookie.newSecret()).decode(value, NOW)).isNull();
    }

    @Test
    void everyTamperedByteIsRejected() {
        byte[] raw = Base64.getUrlDecoder().decode(cookie.encode("10.0.0.12:8080", NOW + 60));
        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThat(cookie.decode(value, NOW)).as("byte %d flipped", i).isNull();
        }
        // Extending the expiry or changing the target is tampering too.
        byte[] later = raw.clone();
        later[8] = (byte) (later[8] + 1);
        assertThat(cookie.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(later), NOW)).isNull();
        byte[] truncated = Arrays.copyOf(raw, raw.length - 1);
        assertThat(cookie.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(truncated), NOW))
                .isNull();
    }

    @Test
    void malformedValuesAreRejectedWithoutThrowing() {
        for (String value : new String[] {null, "", "a", "abcde", "not base64!", "====", "YQ==",
                "AQ", "x".repeat(5_000), cookie.encode("t1", NOW + 60) + "+"}) {
            assertThat(cookie.decode(value, NOW)).as(String.valueOf(value)).isNull();
        }
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> new StickyCookie(new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret: 15 bytes (expected: at least 16)");
        assertThat(StickyCookie.newSecret()).hasSize(32).isNotEqualTo(StickyCookie.newSecret());
    }

    @Test
    void theSecretIsCopied() {
        byte[] mine = StickyCookie.newSecret();
        StickyCookie codec = new StickyCookie(mine);
        String value = codec.encode("t1", NOW + 60);
        Arrays.fill(mine, (byte) 0);
        assertThat(codec.decode(value, NOW)).isEqualTo("t1");
    }

    @Test
    void cookieNamesAreFixed() {
        assertThat(StickyCookie.TARGET_COOKIE_NAME).isEqualTo("FULCRUMLB");
        assertThat(StickyCookie.GROUP_COOKIE_NAME).isEqualTo("FULCRUMLBTG");
    }
}
