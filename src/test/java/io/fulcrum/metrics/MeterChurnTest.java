package io.fulcrum.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import io.fulcrum.testing.RunningFulcrum;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Series come and go with their targets, groups and listeners: as instances churn, they do not pile up. */
class MeterChurnTest {

    @Test
    void metersOfRemovedTargetsGroupsAndListenersAreRemoved() throws Exception {
        int port = RunningFulcrum.freePort();
        int extraPort = RunningFulcrum.freePort();
        try (FulcrumMetrics metrics = new FulcrumMetrics(false)) {
            FulcrumServer server = new FulcrumServer(Transport.best(), 1, new byte[32], Clock.systemUTC(), metrics);
            try {
                server.apply(ConfigLoader.parse(config(port, 20000, false)));
                int baseline = metrics.meterCount();
                assertThat(baseline).isGreaterThan(0);
                for (int i = 1; i <= 30; i++) {
                    server.apply(ConfigLoader.parse(config(port, 20000 + i, i % 3 == 0)));
                }
                server.apply(ConfigLoader.parse(config(port, 30000, false)));
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics.meterCount() == baseline);
                Scrape s = new Scrape(metrics.scrape());
                assertThat(s.count("fulcrum_target_request_count_total", "target", "127.0.0.1:20000")).isZero();
                assertThat(s.count("fulcrum_target_request_count_total", "target", "127.0.0.1:30000")).isEqualTo(1);
                assertThat(s.count("fulcrum_target_group_request_count_total", "target_group", "extra")).isZero();
                assertThat(s.count("fulcrum_target_response_time_seconds_count", "target_group", "extra")).isZero();
                assertThat(s.count("fulcrum_target_response_time_seconds_count", "target_group", "web")).isEqualTo(1);

                // a second listener brings its series, and takes them along when it closes
                server.apply(ConfigLoader.parse(config(port, 30000, false).replace("        defaultActions:",
                        "        defaultActions: [{type: forward, targetGroupName: web}]\n"
                                + "      - port: " + extraPort + "\n        bindAddress: 127.0.0.1\n"
                                + "        defaultActions:")));
                assertThat(metrics.meterCount()).isGreaterThan(baseline);
                assertThat(new Scrape(metrics.scrape()).count("fulcrum_request_count_total", "listener",
                        "127.0.0.1:" + extraPort)).isEqualTo(1);
                server.apply(ConfigLoader.parse(config(port, 30000, false)));
                assertThat(metrics.meterCount()).isEqualTo(baseline);
            } finally {
                server.stop(Duration.ZERO);
            }
            assertThat(metrics.meterCount()).isZero();
        }
    }

    /** One listener forwarding to "web" with one (unreachable, unchecked) target; group "extra" when asked. */
    private static String config(int port, int targetPort, boolean extraGroup) {
        String extra = extraGroup ? """
                  - name: extra
                    targets: ["127.0.0.1:%d"]
                    healthCheck: {enabled: false, interval: 300s}
                    attributes: {deregistrationDelay: 0s}
                """.formatted(targetPort + 1000) : "";
        return """
                loadBalancers:
                  - name: lb
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets: ["127.0.0.1:%d"]
                    healthCheck: {enabled: false, interval: 300s}
                    attributes: {deregistrationDelay: 0s}
                """.formatted(port, targetPort) + extra;
    }
}
