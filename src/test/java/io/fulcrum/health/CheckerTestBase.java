package io.fulcrum.health;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Set-up shared by the health checker tests: event loops and one loopback backend per test, and the
 * checker a test creates ({@link #checker}), all stopped afterwards.
 */
abstract class CheckerTestBase {
    static final String HOST = "127.0.0.1";

    EventLoopGroup loops;
    TestBackend backend;
    /** Set by each test; stopped after it when set. */
    HealthChecker checker;

    @BeforeEach
    void startLoopsAndBackend() throws Exception {
        loops = Checks.eventLoops();
        backend = TestBackend.start();
    }

    @AfterEach
    void stopCheckerBackendAndLoops() throws Exception {
        if (checker != null) {
            checker.stop();
        }
        backend.close();
        Checks.shutdown(loops);
    }
}
