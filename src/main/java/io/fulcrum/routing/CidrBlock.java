package io.fulcrum.routing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 CIDR block, pre-parsed to a 128-bit network and mask, for the {@code source-ip} condition.
 *
 * <p>Addresses are compared in one 128-bit space where IPv4 {@code a.b.c.d} is {@code ::ffff:a.b.c.d}.
 * An IPv4 block matches IPv4 peers and IPv4-mapped IPv6 peers (a dual-stack socket reports those);
 * an IPv6 block matches only real IPv6 peers, so {@code ::/0} does not match IPv4 clients. An IPv6 block
 * inside {@code ::ffff:0:0/96} is treated as the IPv4 block it spells. Parsing never does DNS.
 */
public final class CidrBlock {
    private static final long MAPPED_HI = 0L;
    private static final long MAPPED_LO_PREFIX = 0x0000_ffff_0000_0000L;

    private final String text;
    private final boolean ipv4;
    private final long netHi;
    private final long netLo;
    private final long maskHi;
    private final long maskLo;

    private CidrBlock(String text, boolean ipv4, long hi, long lo, int prefix128) {
        this.text = text;
        this.ipv4 = ipv4;
        this.maskHi = prefix128 >= 64 ? -1L : (prefix128 == 0 ? 0L : -1L << (64 - prefix128));
        this.maskLo = prefix128 <= 64 ? 0L : (prefix128 == 128 ? -1L : -1L << (128 - prefix128));
        this.netHi = hi & maskHi;
        this.netLo = lo & maskLo;
    }

    /**
     * Parses {@code a.b.c.d/n} (n 0..32) or an IPv6 literal with {@code /n} (n 0..128). A missing prefix
     * means a single host (/32 or /128). Host bits below the prefix are ignored.
     *
     * @throws IllegalArgumentException saying what is wrong, in the form {@code value (expected: ...)}
     */
    public static CidrBlock parse(String cidr) {
        if (cidr == null || cidr.isEmpty()) {
            throw invalid(cidr);
        }
        int slash = cidr.indexOf('/');
        String addr = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        int maxPrefix = v6 ? 128 : 32;
        int prefix = maxPrefix;
        if (slash >= 0) {
            prefix = parseDecimal(cidr, slash + 1, cidr.length(), maxPrefix);
            if (prefix < 0) {
                throw invalid(cidr);
            }
        }
        if (!v6) {
            long v4 = parseIpv4(addr);
            if (v4 < 0) {
                throw invalid(cidr);
            }
            return new CidrBlock(cidr, true, MAPPED_HI, MAPPED_LO_PREFIX | v4, 96 + prefix);
        }
        byte[] bytes = parseIpv6(addr);
        if (bytes == null) {
            throw invalid(cidr);
        }
        long hi = toLong(bytes, 0);
        long lo = toLong(bytes, 8);
        boolean mapped = bytes.length == 4 || (hi == MAPPED_HI && (lo & 0xffff_ffff_0000_0000L) == MAPPED_LO_PREFIX);
        if (bytes.length == 4) { // the JDK hands back ::ffff:a.b.c.d as an Inet4Address
            lo = MAPPED_LO_PREFIX | (toLong(bytes, 0) >>> 32);
            hi = MAPPED_HI;
        }
        return new CidrBlock(cidr, mapped && prefix >= 96, hi, lo, prefix);
    }

    /** Whether the address lies in this block; null never matches. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return contains(true, MAPPED_HI, MAPPED_LO_PREFIX | (toLong(b, 0) >>> 32));
        }
        long hi = toLong(b, 0);
        long lo = toLong(b, 8);
        return contains(isMapped(hi, lo), hi, lo);
    }

    /** Allocation-free form: the address as 128 bits in the mapped space, and whether it is IPv4. */
    boolean contains(boolean addressIsIpv4, long hi, long lo) {
        return addressIsIpv4 == ipv4 && (hi & maskHi) == netHi && (lo & maskLo) == netLo;
    }

    static boolean isMapped(long hi, long lo) {
        return hi == MAPPED_HI && (lo & 0xffff_ffff_0000_0000L) == MAPPED_LO_PREFIX;
    }

    static long toLong(byte[] b, int off) {
        long v = 0;
        int end = Math.min(off + 8, b.length);
        for (int i = off; i < off + 8; i++) {
            v = v << 8 | (i < end ? b[i] & 0xff : 0);
        }
        return v;
    }

    /** True for an IPv4 block (or an IPv6 block inside the IPv4-mapped range). */
    public boolean isIpv4() {
        return ipv4;
    }

    @Override
    public String toString() {
        return text;
    }

    private static IllegalArgumentException invalid(String cidr) {
        return new IllegalArgumentException(cidr + " (expected: an IPv4 CIDR such as 10.0.0.0/8 or an IPv6 CIDR such as 2001:db8::/32)");
    }

    /** Decimal 0..max with no sign or leading '+', else -1. */
    private static int parseDecimal(String s, int from, int to, int max) {
        if (from >= to || to - from > 3) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /** Strict dotted quad (four decimal parts 0..255) as an unsigned 32-bit value, else -1. */
    private static long parseIpv4(String s) {
        long v = 0;
        int part = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                int octet = parseDecimal(s, start, i, 255);
                if (octet < 0 || part == 4) {
                    return -1;
                }
                v = v << 8 | octet;
                part++;
                start = i + 1;
            }
        }
        return part == 4 ? v : -1;
    }

    /** An IPv6 literal's bytes (16, or 4 when the JDK folds a mapped address), else null; never DNS. */
    private static byte[] parseIpv6(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return null; // also rules out zone ids ("%eth0") and brackets
            }
        }
        try {
            // Brackets make the JDK insist on an IPv6 literal and throw instead of falling back to DNS.
            InetAddress a = InetAddress.getByName("[" + s + "]");
            return a instanceof Inet6Address || a instanceof Inet4Address ? a.getAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
