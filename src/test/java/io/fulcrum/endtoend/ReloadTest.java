package io.fulcrum.endtoend;

import static io.fulcrum.endtoend.Groups.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fulcrum.health.TargetState;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RawHttp;
import io.fulcrum.testing.RunningFulcrum;
import io.fulcrum.testing.TestBackend;
import io.fulcrum.testing.TestConfigs;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Applying a new config to a running Fulcrum: listeners open and close by diff, rules change, health is kept. */
class ReloadTest {
    /** Listener 1 always; listener 2 when {@code second > 0}; the rule on /x answers {@code ruleBody}. */
    static String config(int first, int second, String ruleBody, String target) {
        String listener1 = first <= 0 ? "" : """
                      - port: %d
                        bindAddress: 127.0.0.1
                        rules:
                          - priority: 1
                            conditions: [{field: path-pattern, values: ["/x"]}]
                            actions:
                              - type: fixed-response
                                fixedResponseConfig: {statusCode: 200, contentType: text/plain, messageBody: %s}
                        defaultActions: [{type: forward, targetGroupName: web}]
                """.formatted(first, ruleBody);
        String listener2 = second <= 0 ? "" : """
                      - port: %d
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                """.formatted(second);
        return """
                loadBalancers:
                  - name: lb
                    listeners:
                %s%stargetGroups:
                  - name: web
                    targets: ["%s"]
                    healthCheck: %s
                """.formatted(listener1, listener2, target, TestConfigs.FAST_CHECKS);
    }

    @Test
    void addsAListenerChangesARuleKeepsHealthAndClosesARemovedListener() throws Exception {
        RawHttp.noDelayBackends();
        int first = RunningFulcrum.freePort();
        int second = RunningFulcrum.freePort();
        try (TestBackend backend = new TestBackend("a"); LogCapture log = new LogCapture();
             RunningFulcrum fulcrum = RunningFulcrum.start(config(first, 0, "one", backend.address()))) {
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    target(fulcrum, backend.address()).health().state() == TargetState.HEALTHY);
            LiveTarget before = target(fulcrum, backend.address());
            assertThat(RawHttp.get(first, "/x").body()).isEqualTo("one");
            assertThat(RawHttp.get(first, "/").body()).isEqualTo("a");
            assertThatThrownBy(() -> RawHttp.get(second, "/")).isInstanceOf(ConnectException.class);
            log.clear();

            fulcrum.apply(config(first, second, "two", backend.address()));

            LiveTarget after = target(fulcrum, backend.address());
            assertThat(after).as("the unchanged target is kept").isSameAs(before);
            assertThat(after.health().state()).as("still healthy right after the reload").isEqualTo(TargetState.HEALTHY);
            assertThat(fulcrum.server().listeners()).hasSize(2);
            assertThat(RawHttp.get(second, "/").body()).as("the new listener serves").isEqualTo("a");
            assertThat(RawHttp.get(first, "/x").body()).as("the changed rule applies").isEqualTo("two");
            assertThat(RawHttp.get(second, "/x").body()).as("the new listener has no rule").isEqualTo("a");
            assertThat(log.messages()).as("no target went back to initial")
                    .noneSatisfy(m -> assertThat(m).contains("-> initial"));

            fulcrum.apply(config(0, second, "two", backend.address()));

            assertThat(fulcrum.server().listeners()).hasSize(1);
            assertThatThrownBy(() -> RawHttp.get(first, "/")).as("the removed listener's port is closed")
                    .isInstanceOf(ConnectException.class);
            assertThat(RawHttp.get(second, "/").body()).isEqualTo("a");
            assertThat(target(fulcrum, backend.address())).isSameAs(before);
            assertThat(before.health().state()).isEqualTo(TargetState.HEALTHY);
            assertThat(log.messages()).noneSatisfy(m -> assertThat(m).contains("-> initial"));
        }
    }
}
