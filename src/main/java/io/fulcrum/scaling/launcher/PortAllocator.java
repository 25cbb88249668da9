package io.fulcrum.scaling.launcher;

import io.fulcrum.scaling.LaunchException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out instance ports from a range, round robin so that a port just given up is not given out
 * again at once, skipping the ports of live instances and ports something already listens on.
 */
final class PortAllocator {
    private final int first;
    private final int last;
    private int next;

    PortAllocator(int first, int last) {
        if (first < 1 || last > 65_535 || first > last) {
            throw new IllegalArgumentException("portRange: " + first + "-" + last + " (expected: 1 <= first <= last <= 65535)");
        }
        this.first = first;
        this.last = last;
        this.next = first;
    }

    /** A free port of the range that is not in {@code excluded}. */
    int allocate(Set<Integer> excluded) {
        int size = last - first + 1;
        for (int i = 0; i < size; i++) {
            int port = next;
            next = port == last ? first : port + 1;
            if (!excluded.contains(port) && isFree(port)) {
                return port;
            }
        }
        throw new LaunchException("no free port in the instance port range " + first + "-" + last
                + " (" + excluded.size() + " held by instances, the others in use)");
    }

    /**
     * True when a listening socket can be bound to 127.0.0.1:port right now. Without SO_REUSEADDR, so a
     * port with connections still in TIME_WAIT counts as taken: a backend that does not set the
     * option could not bind it either.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A warning when {@code first-last} overlaps the kernel's ephemeral port range (the text of
     * /proc/sys/net/ipv4/ip_local_port_range): Fulcrum's own outgoing connections could then take an
     * instance's port before the instance binds it.
     */
    static Optional<String> ephemeralOverlap(int first, int last, String ephemeralRange) {
        String[] parts = ephemeralRange.trim().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        int low;
        int high;
        try {
            low = Integer.parseInt(parts[0]);
            high = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (last < low || first > high) {
            return Optional.empty();
        }
        return Optional.of("portRange: " + first + "-" + last + " overlaps the kernel's ephemeral port range "
                + low + "-" + high + " (net.ipv4.ip_local_port_range): outgoing connections may take an instance's"
                + " port (expected: a range below " + low + ")");
    }
}
