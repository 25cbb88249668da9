package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP checks: a connect that succeeds is healthy, whatever the target would answer. */
class HealthCheckerTcpTest extends CheckerTestBase {
    @Test
    void connectSucceedsHealthyRefusedUnhealthyAndBack() throws Exception {
        backend.answer(503); // a TCP check never reads it
        checker = new HealthChecker(loops, NioSocketChannel.class, "db", Checks.tcp(2, 2), Clock.systemUTC());
        TargetHealth health = new TargetHealth("db", HOST + ":" + backend.port());
        List<Checks.Seen> seen = Checks.record(health, checker, HOST, backend.port(), backend);

        checker.add(HOST, backend.port(), health);
        Checks.awaitNotice(seen, TargetState.HEALTHY);
        assertThat(seen.get(0).probes()).isEqualTo(2);
        assertThat(backend.answered(503)).isZero();

        backend.stop();
        Checks.awaitNotice(seen, TargetState.UNHEALTHY);
        assertThat(health.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(health.description()).isEqualTo("Connection refused");

        backend.restart();
        Checks.awaitNotice(seen, TargetState.HEALTHY);
        assertThat(seen).extracting(Checks.Seen::to)
                .containsExactly(TargetState.HEALTHY, TargetState.UNHEALTHY, TargetState.HEALTHY);
    }
}
