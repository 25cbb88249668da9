package io.fulcrum.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** One client flow: a UDP socket on loopback talking to a UDP listener. */
final class UdpClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress listener;

    UdpClient(int listenerPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.listener = new InetSocketAddress(InetAddress.getLoopbackAddress(), listenerPort);
        socket.setSoTimeout(10_000); // a lost answer fails the test instead of hanging it
    }

    void send(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, listener));
    }

    /** The next datagram, which must come from the listener's own address and port. */
    String receive() throws IOException {
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        assertThat(packet.getSocketAddress()).as("the answer's source").isEqualTo(listener);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    /** Sends {@code text} and returns the id of the target that echoed it, checking the echo. */
    String roundTrip(String text) throws IOException {
        send(text);
        String answer = receive();
        int colon = answer.indexOf(':');
        assertThat(colon).as("an answer \"id:payload\", got %s", answer).isPositive();
        assertThat(answer.substring(colon + 1)).isEqualTo(text);
        return answer.substring(0, colon);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
