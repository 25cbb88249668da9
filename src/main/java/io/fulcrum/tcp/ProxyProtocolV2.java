package io.fulcrum.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The binary Proxy Protocol v2 header (HAProxy's spec, as NLB sends it): a 12-byte signature, version 2
 * with command PROXY, TCP over IPv4 or IPv6, then the client's and the listener's address and port.
 */
final class ProxyProtocolV2 {
    /** "\r\n\r\n\0\r\nQUIT\n". */
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2 (high nibble), command PROXY (low nibble). */
    static final int VERSION_2_PROXY = 0x21;
    /** AF_INET (high nibble), STREAM (low nibble). */
    static final int TCP4 = 0x11;
    /** AF_INET6, STREAM. */
    static final int TCP6 = 0x21;
    private static final int IPV4_BLOCK = 4 + 4 + 2 + 2;
    private static final int IPV6_BLOCK = 16 + 16 + 2 + 2;

    private ProxyProtocolV2() {
    }

    /**
     * The header for a connection from {@code source} to {@code destination}. Two IPv4 addresses give a
     * TCP4 header; otherwise both are written as IPv6 (an IPv4 one as {@code ::ffff:a.b.c.d}).
     */
    static ByteBuf header(ByteBufAllocator allocator, InetSocketAddress source, InetSocketAddress destination) {
        InetAddress from = source.getAddress();
        InetAddress to = destination.getAddress();
        boolean v4 = from instanceof Inet4Address && to instanceof Inet4Address;
        int block = v4 ? IPV4_BLOCK : IPV6_BLOCK;
        ByteBuf out = allocator.buffer(SIGNATURE.length + 4 + block);
        out.writeBytes(SIGNATURE);
        out.writeByte(VERSION_2_PROXY);
        out.writeByte(v4 ? TCP4 : TCP6);
        out.writeShort(block);
        writeAddress(out, from, v4);
        writeAddress(out, to, v4);
        out.writeShort(source.getPort());
        out.writeShort(destination.getPort());
        return out;
    }

    private static void writeAddress(ByteBuf out, InetAddress address, boolean v4) {
        byte[] bytes = address.getAddress();
        if (!v4 && bytes.length == 4) {
            out.writeZero(10);
            out.writeShort(0xFFFF);
        }
        out.writeBytes(bytes);
    }
}
