package io.fulcrum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import org.junit.jupiter.api.Test;

/** A target group no listener forwards to has its targets "unused" (Target.NotInUse), as in ALB. */
class UnusedTargetGroupTest {
    private static String config(int port, TestBackend web, TestBackend spare, String defaultGroup) {
        return """
                loadBalancers:
                  - name: web
                    listeners:
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: %s}]
                targetGroups:
                  - name: web
                    targets: ["%s"]
                    healthCheck: {path: /health, interval: 200ms, timeout: 100ms, healthyThreshold: 2}
                  - name: spare
                    targets: ["%s"]
                    healthCheck: {path: /health, interval: 200ms, timeout: 100ms, healthyThreshold: 2}
                """.formatted(port, defaultGroup, web.address(), spare.address());
    }

    @Test
    void targetsOfAnUnreferencedGroupAreUnusedUntilAListenerUsesIt() throws Exception {
        try (TestBackend web = new TestBackend("web"); TestBackend spare = new TestBackend("spare")) {
            int port = RunningFulcrum.freePort();
            try (RunningFulcrum fulcrum = RunningFulcrum.start(config(port, web, spare, "web"))) {
                var target = fulcrum.server().targetGroup("spare").targets().get(0).health();
                assertThat(target.state()).isEqualTo(TargetState.UNUSED);
                assertThat(target.reason()).isEqualTo("Target.NotInUse");
                await().until(() -> fulcrum.server().targetGroup("web").targets().get(0).health().state()
                        == TargetState.HEALTHY);

                fulcrum.apply(config(port, web, spare, "spare"));
                await().until(() -> fulcrum.server().targetGroup("spare").targets().get(0).health().state()
                        == TargetState.HEALTHY);
                assertThat(fulcrum.server().targetGroup("web").targets().get(0).health().state())
                        .isEqualTo(TargetState.UNUSED);
            }
        }
    }
}
