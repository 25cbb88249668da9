package io.fulcrum.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TCP checks: a connect that succeeds is healthy, whatever the target would answer. */
class HealthCheckerTcpTest {
    private static final String HOST = "127.0.0.1";

    private EventLoopGroup loops;
    private TestBackend backend;
    private HealthChecker checker;

    @BeforeEach
    void setUp() throws Exception {
        loops = Checks.eventLoops();
        backend = TestBackend.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (checker != null) {
            checker.stop();
        }
        backend.close();
        Checks.shutdown(loops);
    }

    @Test
    void connectSucceedsHealthyRefusedUnhealthyAndBack() throws Exception {
        backend.answer(503); // a TCP check never reads it
        checker = new HealthChecker(loops, NioSocketChannel.class, "db", Checks.tcp(2, 2), Clock.systemUTC());
        TargetHealth health = new TargetHealth("db", HOST + ":" + backend.port());
        List<Checks.Seen> seen = Checks.record(health, checker, HOST, backend.port(), backend);

        checker.add(HOST, backend.port(), health);
        await().until(health::routable);
        assertThat(seen.get(0).probes()).isEqualTo(2);
        assertThat(backend.answered(503)).isZero();

        backend.stop();
        await().until(() -> health.state() == TargetState.UNHEALTHY);
        assertThat(health.reason()).isEqualTo("Target.FailedHealthChecks");
        assertThat(health.description()).isEqualTo("Connection refused");

        backend.restart();
        await().until(health::routable);
        assertThat(seen).extracting(Checks.Seen::to)
                .containsExactly(TargetState.HEALTHY, TargetState.UNHEALTHY, TargetState.HEALTHY);
    }
}
