package io.fulcrum.scaling.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.scaling.LaunchException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports come from the range, never one in use or held by an instance; overlap with the ephemeral range is told. */
class PortAllocatorTest {
    @Test
    void aPortSomethingListensOnIsSkipped() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            PortAllocator allocator = new PortAllocator(port, port);

            assertThatThrownBy(() -> allocator.allocate(Set.of()))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("no free port in the instance port range " + port + "-" + port
                            + " (0 held by instances, the others in use)");
            held.close();
            assertThat(allocator.allocate(Set.of())).isEqualTo(port);
        }
    }

    @Test
    void portsOfLiveInstancesAreSkippedAndPortsGoRoundRobin() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        PortAllocator allocator = new PortAllocator(port, port);

        assertThatThrownBy(() -> allocator.allocate(Set.of(port))).hasMessageContaining("1 held by instances");
        PortAllocator wide = new PortAllocator(20_000, 29_999);
        int first = wide.allocate(Set.of());
        int second = wide.allocate(Set.of());
        assertThat(second).as("a port just handed out is not handed out again at once").isNotEqualTo(first);
    }

    @Test
    void overlapWithTheEphemeralRangeIsReported() {
        assertThat(PortAllocator.ephemeralOverlap(20_000, 29_999, "32768\t60999\n")).isEmpty();
        assertThat(PortAllocator.ephemeralOverlap(61_000, 62_000, "32768\t60999\n")).isEmpty();
        assertThat(PortAllocator.ephemeralOverlap(30_000, 40_000, "32768\t60999\n")).hasValue(
                "portRange: 30000-40000 overlaps the kernel's ephemeral port range 32768-60999"
                        + " (net.ipv4.ip_local_port_range): outgoing connections may take an instance's port"
                        + " (expected: a range below 32768)");
        assertThat(PortAllocator.ephemeralOverlap(30_000, 40_000, "garbage")).isEmpty();
    }

    @Test
    void aRangeMustBeOrdered() {
        assertThatThrownBy(() -> new PortAllocator(30_000, 20_000))
                .hasMessage("portRange: 30000-20000 (expected: 1 <= first <= last <= 65535)");
    }
}
