package io.fulcrum.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** UDP targets are checked over TCP on their traffic port, as NLB's; a flow leaves a target that turns unhealthy. */
class UdpHealthTest {
    /** Fast TCP checks: a dead target is unhealthy after 2 × 200 ms. */
    private static final String FAST_TCP_CHECKS =
            "{protocol: TCP, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}";

    @Test
    void aFlowWhoseTargetFailsItsTcpCheckMovesToAHealthyTarget() throws Exception {
        try (UdpEchoBackend a = UdpEchoBackend.withTcpCheckPort("a");
             UdpEchoBackend b = UdpEchoBackend.withTcpCheckPort("b")) {
            int port = UdpSetup.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(UdpSetup.listener(port)
                    .targets(a.address(), b.address()).healthCheck(FAST_TCP_CHECKS).yaml());
                 UdpClient client = new UdpClient(port)) {
                fulcrum.awaitAllHealthy("dns");
                String first = client.roundTrip("hello");
                UdpEchoBackend failing = first.equals("a") ? a : b;

                failing.stopTcp();
                LiveTarget target = fulcrum.server().targetGroup("dns").targets().stream()
                        .filter(t -> t.key().equals(failing.address())).findFirst().orElseThrow();
                await().atMost(Duration.ofSeconds(10)).until(() -> target.health().state() == TargetState.UNHEALTHY);

                String next = client.roundTrip("after");
                assertThat(next).as("the flow's new target").isNotEqualTo(first);
                UdpListener listener = fulcrum.server().udpListeners().listeners().get("127.0.0.1:" + port);
                assertThat(listener.counters().flows()).isEqualTo(2);
                await().atMost(Duration.ofSeconds(10)).until(() -> listener.openFlows() == 1);
                assertThat(target.outstandingRequests()).as("the old flow's slot").isZero();
            }
        }
    }
}
