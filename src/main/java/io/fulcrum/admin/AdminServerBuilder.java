package io.fulcrum.admin;

import io.fulcrum.control.ControlPlane;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.server.FulcrumServer;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds and starts an {@link AdminServer}. */
public final class AdminServerBuilder {
    ControlPlane controlPlane;
    FulcrumServer server;
    AutoScaling autoScaling;
    AdminToken token;
    Supplier<String> metrics = () -> "";
    boolean metricsWithoutAuth;
    InetSocketAddress address = AdminServer.parseAddress(AdminServer.DEFAULT_ADDRESS);
    int maxBodyBytes = AdminServer.DEFAULT_MAX_BODY_BYTES;

    AdminServerBuilder() {
    }

    /** Where every read and write of the desired state goes (required). */
    public AdminServerBuilder controlPlane(ControlPlane controlPlane) {
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        return this;
    }

    /** The running server, for target health (without it, health shows the configured targets only). */
    public AdminServerBuilder server(FulcrumServer server) {
        this.server = Objects.requireNonNull(server, "server");
        return this;
    }

    /** The live auto scaling groups, for instances, activities and set-desired-capacity. */
    public AdminServerBuilder autoScaling(AutoScaling autoScaling) {
        this.autoScaling = Objects.requireNonNull(autoScaling, "autoScaling");
        return this;
    }

    /** The bearer token every request but /healthz and /readyz must carry (required). */
    public AdminServerBuilder token(AdminToken token) {
        this.token = Objects.requireNonNull(token, "token");
        return this;
    }

    /** The text /metrics serves (Prometheus exposition format); empty by default. */
    public AdminServerBuilder metrics(Supplier<String> metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /** Lets /metrics be scraped without the token (off by default). */
    public AdminServerBuilder metricsWithoutAuth(boolean metricsWithoutAuth) {
        this.metricsWithoutAuth = metricsWithoutAuth;
        return this;
    }

    /** The address to listen on; default {@value AdminServer#DEFAULT_ADDRESS}; port 0 picks a free one. */
    public AdminServerBuilder address(InetSocketAddress address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    /** The largest request body accepted; larger ones get 413. */
    public AdminServerBuilder maxBodyBytes(int maxBodyBytes) {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: 1024 or more)");
        }
        this.maxBodyBytes = maxBodyBytes;
        return this;
    }

    /**
     * Binds the listener and starts serving.
     *
     * @throws java.io.UncheckedIOException when the address cannot be bound
     */
    public AdminServer start() {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(token, "token");
        return new AdminServer(this);
    }
}
