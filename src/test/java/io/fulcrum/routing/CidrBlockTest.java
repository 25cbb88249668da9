package io.fulcrum.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrBlockTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static InetAddress mapped(String v4) throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ip(v4).getAddress(), 0, b, 12, 4);
        // Inet6Address.getByAddress keeps the mapped form as an Inet6Address, as a dual-stack socket may report it.
        return java.net.Inet6Address.getByAddress(null, b, -1);
    }

    @Test
    void ipv4Blocks() throws Exception {
        CidrBlock block = CidrBlock.parse("10.1.0.0/16");
        assertThat(block.isIpv4()).isTrue();
        assertThat(block.contains(ip("10.1.0.0"))).isTrue();
        assertThat(block.contains(ip("10.1.255.255"))).isTrue();
        assertThat(block.contains(ip("10.2.0.0"))).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(CidrBlock.parse("192.0.2.7/32").contains(ip("192.0.2.7"))).isTrue();
        assertThat(CidrBlock.parse("192.0.2.7").contains(ip("192.0.2.8"))).isFalse();
        assertThat(CidrBlock.parse("10.1.2.3/8").contains(ip("10.200.0.1"))).isTrue(); // host bits ignored
    }

    @Test
    void ipv4MappedIpv6PeersMatchIpv4Blocks() throws Exception {
        assertThat(mapped("10.1.2.3")).isInstanceOf(java.net.Inet6Address.class);
        assertThat(CidrBlock.parse("10.0.0.0/8").contains(mapped("10.1.2.3"))).isTrue();
        assertThat(CidrBlock.parse("10.0.0.0/8").contains(mapped("11.1.2.3"))).isFalse();
        assertThat(CidrBlock.parse("::ffff:10.0.0.0/104").contains(ip("10.9.9.9"))).isTrue();
    }

    @Test
    void ipv6Blocks() throws Exception {
        CidrBlock block = CidrBlock.parse("2001:db8::/32");
        assertThat(block.isIpv4()).isFalse();
        assertThat(block.contains(ip("2001:db8::1"))).isTrue();
        assertThat(block.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(block.contains(ip("2001:db9::1"))).isFalse();
        assertThat(CidrBlock.parse("2001:db8:0:0:8000::/65").contains(ip("2001:db8::8000:0:0:1"))).isTrue();
        assertThat(CidrBlock.parse("2001:db8:0:0:8000::/65").contains(ip("2001:db8::7fff:0:0:1"))).isFalse();
        assertThat(CidrBlock.parse("::1/128").contains(ip("::1"))).isTrue();
        assertThat(CidrBlock.parse("::1").contains(ip("::2"))).isFalse();
        assertThat(CidrBlock.parse("::/0").contains(ip("fe80::1"))).isTrue();
    }

    @Test
    void familiesDoNotCrossMatch() throws Exception {
        assertThat(CidrBlock.parse("::/0").contains(ip("10.0.0.1"))).isFalse();
        assertThat(CidrBlock.parse("::/0").contains(mapped("10.0.0.1"))).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8", "10.0.0.0/", "10.0.0.0/-1",
            "10.0.0.0/+8", "example.com/8", "localhost", "2001:db8::/129", "2001:db8::g/32", "1:2:3/64",
            "fe80::1%eth0/64", "[::1]/128", "10.0.0.0/8/8"})
    void rejectsWhatIsNotACidr(String text) {
        assertThatThrownBy(() -> CidrBlock.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: an IPv4 CIDR");
    }
}
