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
        this(id, new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    private UdpEchoBackend(String id, DatagramSocket socket) {
        this.id = id;
        this.socket = socket;
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

    /**
     * A backend that also accepts TCP connections on its UDP port number, for TCP health checks on the
     * traffic port (as NLB checks UDP targets); {@link #stopTcp()} makes it fail them.
     */
    static UdpEchoBackend withTcpCheckPort(String id) throws IOException {
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                java.net.ServerSocket tcp = new java.net.ServerSocket(udp.getLocalPort(), 50,
                        InetAddress.getLoopbackAddress());
                UdpEchoBackend backend = new UdpEchoBackend(id, udp);
                backend.tcp = tcp;
                Thread acceptor = new Thread(() -> {
                    while (!tcp.isClosed()) {
                        try {
                            tcp.accept().close(); // a check only connects
                        } catch (IOException e) {
                            return;
                        }
                    }
                }, "udp-echo-tcp-" + id);
                acceptor.setDaemon(true);
                acceptor.start();
                return backend;
            } catch (IOException taken) {
                udp.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    private volatile java.net.ServerSocket tcp;

    /** Stops accepting TCP: health checks on the traffic port fail from now on. */
    void stopTcp() throws IOException {
        tcp.close();
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
    public void close() throws InterruptedException, IOException {
        if (tcp != null) {
            tcp.close();
        }
        socket.close();
        thread.join(5_000);
    }
}
