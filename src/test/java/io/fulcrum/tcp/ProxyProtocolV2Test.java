package io.fulcrum.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.testing.RunningFulcrum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** With proxyProtocolV2 on, each target connection starts with the client's address in a PPv2 header. */
class ProxyProtocolV2Test {
    @Test
    void theTargetReadsTheClientsAddressAndTheListenersThenTheStream() throws Exception {
        try (EchoBackend backend = new EchoBackend(EchoBackend.Mode.ECHO, true, 0)) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum ignored = RunningFulcrum.start(TcpSetup.listener(port).targets(backend.address())
                    .attributes("{proxyProtocolV2: true}").yaml());
                 TcpClient client = new TcpClient(port)) {
                client.roundTrip("after the header");

                assertThat(backend.headerErrors()).isEmpty();
                assertThat(backend.headers()).containsExactly(new EchoBackend.ProxyHeader(0x21, 0x11,
                        "127.0.0.1", client.socket().getLocalPort(), "127.0.0.1", port));
            }
        }
    }

    @Test
    void withoutTheAttributeTheStreamStartsWithTheClientsBytes() throws Exception {
        try (EchoBackend backend = new EchoBackend(EchoBackend.Mode.ECHO, true, 0)) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum ignored = RunningFulcrum.start(TcpSetup.listener(port).targets(backend.address()).yaml());
                 TcpClient client = new TcpClient(port)) {
                client.socket().getOutputStream().write("no header here!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                await().until(() -> !backend.headerErrors().isEmpty());
                assertThat(backend.headers()).isEmpty();
            }
        }
    }

    @Test
    void anIpv6OrMixedPairIsWrittenAsTcp6WithMappedAddresses() {
        ByteBuf header = ProxyProtocolV2.header(UnpooledByteBufAllocator.DEFAULT,
                new InetSocketAddress("::1", 40000), new InetSocketAddress("127.0.0.1", 5432));
        try {
            assertThat(header.readableBytes()).isEqualTo(16 + 36);
            assertThat(ByteBufUtil.getBytes(header, 0, 12)).isEqualTo(ProxyProtocolV2.SIGNATURE);
            assertThat(header.getUnsignedByte(12)).isEqualTo((short) 0x21);
            assertThat(header.getUnsignedByte(13)).isEqualTo((short) 0x21); // AF_INET6, STREAM
            assertThat(header.getUnsignedShort(14)).isEqualTo(36);
            assertThat(ByteBufUtil.hexDump(header, 16, 16)).isEqualTo("00000000000000000000000000000001");
            assertThat(ByteBufUtil.hexDump(header, 32, 16)).isEqualTo("00000000000000000000ffff7f000001");
            assertThat(header.getUnsignedShort(48)).isEqualTo(40000);
            assertThat(header.getUnsignedShort(50)).isEqualTo(5432);
        } finally {
            header.release();
        }
    }
}
