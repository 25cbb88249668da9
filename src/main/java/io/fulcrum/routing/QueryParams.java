package io.fulcrum.routing;

/**
 * The decoded key/value pairs of one query string, parsed on first use into buffers that are reused for
 * the next request on the same connection. Not thread-safe: owned by one {@link RequestView}.
 *
 * <p>Pairs are split on {@code &}; a pair without {@code =} has an empty value; empty pairs are skipped.
 * Keys and values are percent-decoded as UTF-8 ({@code +} is a space); a bad escape such as {@code %zz}
 * is kept literally and an invalid UTF-8 sequence becomes U+FFFD.
 */
final class QueryParams implements CharSequence {
    private char[] buf = new char[64];
    private int used;
    /** Per pair: key start, key end, value start, value end in {@link #buf}. */
    private int[] bounds = new int[4 * 8];
    private int count;

    /** Parses {@code rawQuery} (the text after '?', may be null), replacing what was parsed before. */
    void parse(String rawQuery) {
        used = 0;
        count = 0;
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        int len = rawQuery.length();
        // Decoding never makes text longer, so this bounds the buffer for the whole query.
        if (buf.length < len) {
            buf = new char[Math.max(len, buf.length * 2)];
        }
        int start = 0;
        while (start <= len) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? len : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                addPair(rawQuery, start, eq, Math.min(eq + 1, end), end);
            }
            start = end + 1;
        }
    }

    private void addPair(String s, int ks, int ke, int vs, int ve) {
        if (bounds.length < (count + 1) * 4) {
            bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
        }
        int b = count * 4;
        bounds[b] = used;
        decode(s, ks, ke);
        bounds[b + 1] = used;
        bounds[b + 2] = used;
        decode(s, vs, ve);
        bounds[b + 3] = used;
        count++;
    }

    private void decode(String s, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '+') {
                buf[used++] = ' ';
                i++;
            } else if (c != '%') {
                buf[used++] = c;
                i++;
            } else {
                int b = hexByte(s, i, to);
                if (b < 0) {
                    buf[used++] = '%';
                    i++;
                } else if (b < 0x80) {
                    buf[used++] = (char) b;
                    i += 3;
                } else {
                    i = decodeUtf8(s, i, to, b);
                }
            }
        }
    }

    /** Decodes one multi-byte UTF-8 sequence whose first byte {@code lead} is at {@code i}; returns the next index. */
    private int decodeUtf8(String s, int i, int to, int lead) {
        int extra = lead >= 0xf0 && lead <= 0xf4 ? 3 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xc2 && lead <= 0xdf ? 1 : -1;
        int cp = extra == 3 ? lead & 0x07 : extra == 2 ? lead & 0x0f : lead & 0x1f;
        int j = i + 3;
        for (int k = 0; k < extra; k++, j += 3) {
            int b = hexByte(s, j, to);
            if (b < 0x80 || b > 0xbf) {
                extra = -1;
                break;
            }
            cp = cp << 6 | (b & 0x3f);
        }
        boolean valid = extra > 0 && cp >= (extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000) && cp <= 0x10ffff
                && (cp < 0xd800 || cp > 0xdfff);
        if (!valid) {
            buf[used++] = '\ufffd';
            return i + 3; // resynchronise on the next escape
        }
        if (cp >= 0x10000) {
            buf[used++] = Character.highSurrogate(cp);
            buf[used++] = Character.lowSurrogate(cp);
        } else {
            buf[used++] = (char) cp;
        }
        return j;
    }

    /** The byte spelled by "%XX" at {@code i}, or -1. */
    private static int hexByte(String s, int i, int to) {
        if (i + 2 >= to) {
            return -1;
        }
        if (s.charAt(i) != '%') {
            return -1;
        }
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    int count() {
        return count;
    }

    int keyStart(int pair) {
        return bounds[pair * 4];
    }

    int keyEnd(int pair) {
        return bounds[pair * 4 + 1];
    }

    int valueStart(int pair) {
        return bounds[pair * 4 + 2];
    }

    int valueEnd(int pair) {
        return bounds[pair * 4 + 3];
    }

    // CharSequence over the decoded buffer, so patterns can match a pair's slice without copying it.

    @Override
    public int length() {
        return used;
    }

    @Override
    public char charAt(int index) {
        return buf[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(buf, start, end - start);
    }

    @Override
    public String toString() {
        return new String(buf, 0, used);
    }
}
