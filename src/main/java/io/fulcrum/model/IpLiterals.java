package io.fulcrum.model;

/**
 * Syntax checks of IP literals and CIDRs, written here so that validation never calls into
 * {@code InetAddress}, which may resolve a name (a DNS lookup) when the text is not a literal.
 */
final class IpLiterals {
    private IpLiterals() {
    }

    /** The 4 or 16 bytes of an IPv4 or IPv6 literal (no brackets, no zone), or null when text is not one. */
    static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    /** True for {@code 10.0.0.0/8} or {@code 2001:db8::/32}: a literal, a slash and a prefix length that fits. */
    static boolean isCidr(String text) {
        if (text == null) {
            return false;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return false;
        }
        byte[] address = parse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (address == null || prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(prefix) <= address.length * 8;
    }

    /** True for 0.0.0.0 and :: (every local address). */
    static boolean isWildcard(byte[] address) {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            // leading zeros are refused: some parsers read them as octal
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int total = head.length + tail.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.length; i++) {
            bytes[2 * i] = (byte) (head[i] >> 8);
            bytes[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            int at = 8 - tail.length + i;
            bytes[2 * at] = (byte) (tail[i] >> 8);
            bytes[2 * at + 1] = (byte) tail[i];
        }
        return bytes;
    }

    /** The 16-bit groups of one side of "::", the last of which may be a dotted IPv4 address. */
    private static int[] groups(String side, boolean ipv4LastAllowed) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        boolean ipv4Last = parts[parts.length - 1].indexOf('.') >= 0;
        if (ipv4Last && !ipv4LastAllowed) {
            return null;
        }
        int[] groups = new int[parts.length + (ipv4Last ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && ipv4Last) {
                byte[] v4 = parseV4(part);
                if (v4 == null) {
                    return null;
                }
                groups[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
            } else {
                if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(IpLiterals::isHex)) {
                    return null;
                }
                groups[i] = Integer.parseInt(part, 16);
            }
        }
        return groups;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
