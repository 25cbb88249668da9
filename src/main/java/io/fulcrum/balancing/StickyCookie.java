package io.fulcrum.balancing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The balancer's own stickiness cookie value (like ALB's {@code AWSALB}): a key (a target, or a target
 * group for forward-action stickiness) and an expiry, signed with HMAC-SHA256 so a client cannot forge
 * or extend it. Values stay valid across reloads and restarts as long as the secret is the same.
 *
 * <p>Value: URL-safe base64 without padding of {@code version(1) | expiresEpochSecond(8, big-endian) |
 * key (UTF-8) | HMAC-SHA256 of what precedes, truncated to 16 bytes}. Thread-safe: each thread reuses
 * its own {@link Mac}.
 */
public final class StickyCookie {
    /** Cookie naming the target a client sticks to (ALB: {@code AWSALB}). */
    public static final String TARGET_COOKIE_NAME = "FULCRUMLB";
    /** Cookie naming the target group a forward action's group stickiness sticks to (ALB: {@code AWSALBTG}). */
    public static final String GROUP_COOKIE_NAME = "FULCRUMLBTG";
    /** Shortest accepted secret; {@link #newSecret()} makes 32 bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + Long.BYTES;
    /** 128 bits of tag: forging needs ~2^128 tries, and the cookie stays short. */
    private static final int TAG_BYTES = 16;
    /** Longer values are rejected before decoding: keys are addresses or names, and cookies cap at ~4 KiB. */
    private static final int MAX_VALUE_CHARS = 1024;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /** A codec signing with secret (at least 16 bytes; the array is copied). */
    public StickyCookie(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: at least "
                    + MIN_SECRET_BYTES + ")");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
        newMac(); // fail here, not on a request thread, if HMAC-SHA256 were unavailable
    }

    /** 32 fresh random bytes from {@link SecureRandom}, for a secret to keep in the cluster state. */
    public static byte[] newSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** The signed cookie value for key, valid until expiresEpochSecond (exclusive). */
    public String encode(String key, long expiresEpochSecond) {
        Objects.requireNonNull(key, "key");
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int payloadLength = HEADER_BYTES + keyBytes.length;
        byte[] value = new byte[payloadLength + TAG_BYTES];
        value[0] = VERSION;
        putLong(value, 1, expiresEpochSecond);
        System.arraycopy(keyBytes, 0, value, HEADER_BYTES, keyBytes.length);
        byte[] tag = sign(value, payloadLength);
        System.arraycopy(tag, 0, value, payloadLength, TAG_BYTES);
        return ENCODER.encodeToString(value);
    }

    /**
     * The key in value, or null when value is null, malformed, signed with another secret, tampered with,
     * or expired (nowEpochSecond at or after its expiry). Never throws on client input.
     */
    public String decode(String value, long nowEpochSecond) {
        if (!wellFormed(value)) {
            return null;
        }
        byte[] bytes = DECODER.decode(value);
        int payloadLength = bytes.length - TAG_BYTES;
        if (payloadLength < HEADER_BYTES || bytes[0] != VERSION) {
            return null;
        }
        byte[] tag = sign(bytes, payloadLength);
        if (!constantTimeEquals(tag, bytes, payloadLength)) {
            return null;
        }
        // Expiry is checked after the signature, so an unsigned value tells nothing about timing.
        if (nowEpochSecond >= getLong(bytes, 1)) {
            return null;
        }
        return new String(bytes, HEADER_BYTES, payloadLength - HEADER_BYTES, StandardCharsets.UTF_8);
    }

    /** URL-safe base64 without padding, of a length base64 can produce, so decoding cannot throw. */
    private static boolean wellFormed(String value) {
        if (value == null) {
            return false;
        }
        int length = value.length();
        if (length == 0 || length > MAX_VALUE_CHARS || length % 4 == 1) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private byte[] sign(byte[] bytes, int length) {
        Mac mac = macs.get();
        mac.update(bytes, 0, length);
        return mac.doFinal(); // also resets the Mac for the next use on this thread
    }

    /** Compares the first TAG_BYTES of tag with bytes[offset..], in time independent of where they differ. */
    private static boolean constantTimeEquals(byte[] tag, byte[] bytes, int offset) {
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= tag[i] ^ bytes[offset + i];
        }
        return diff == 0;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static long getLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
