package io.fulcrum.testing;

import static org.awaitility.Awaitility.await;

import io.fulcrum.config.ConfigLoader;
import io.fulcrum.health.TargetState;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.proxy.HttpListener;
import io.fulcrum.proxy.Transport;
import io.fulcrum.server.FulcrumServer;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;

/** A Fulcrum server in the test's JVM, started from YAML text, on loopback. */
public final class RunningFulcrum implements AutoCloseable {
    private final FulcrumServer server;

    private RunningFulcrum(FulcrumServer server) {
        this.server = server;
    }

    public static RunningFulcrum start(String yaml) throws Exception {
        FulcrumConfig config = ConfigLoader.parse(yaml);
        FulcrumServer server = new FulcrumServer(Transport.best(), 2, new byte[32], Clock.systemUTC());
        server.apply(config);
        return new RunningFulcrum(server);
    }

    public static RunningFulcrum start(TestConfigs.Web config) throws Exception {
        return start(config.yaml());
    }

    public FulcrumServer server() {
        return server;
    }

    public void apply(String yaml) throws Exception {
        server.apply(ConfigLoader.parse(yaml));
    }

    public void apply(TestConfigs.Web config) throws Exception {
        apply(config.yaml());
    }

    /**
     * Waits until every target of {@code group} is healthy. With checks off the checker makes targets
     * healthy at once but asynchronously; until then a group can route to a subset of its targets.
     */
    public void awaitAllHealthy(String group) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.targetGroup(group).targets().stream()
                .allMatch(t -> t.health().state() == TargetState.HEALTHY));
    }

    /** The bound port of the only (or first) listener. */
    public int port() {
        return server.listeners().values().stream().findFirst().map(HttpListener::boundPort).orElseThrow();
    }

    /** A free loopback port (bound and released; fine for tests that then bind it). */
    public static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stop(Duration.ZERO);
    }
}
