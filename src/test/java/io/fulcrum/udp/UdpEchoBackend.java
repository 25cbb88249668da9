package io.fulcrum.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP target on loopback that answers each datagram with "id:payload" to its sender. */
final class UdpEchoBackend implements AutoCloseable {
    private final String id;
    private final DatagramSocket socket;
    private final Thread thread;
    private final Set<SocketAddress> sources = ConcurrentHashMap.newKeySet();
    private final AtomicInteger datagrams = new AtomicInteger();

    UdpEchoBackend(String id) throws IOException {
        this.id = id;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::serve, "udp-echo-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                datagrams.incrementAndGet();
                sources.add(packet.getSocketAddress());
                byte[] reply = (id + ":" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    String id() {
        return id;
    }

    /** "127.0.0.1:port" as a target. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** The balancer's sockets that sent here: one per flow. */
    Set<SocketAddress> sources() {
        return sources;
    }

    int datagrams() {
        return datagrams.get();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5_000);
    }
}
