package io.fulcrum.server;

import io.fulcrum.health.TargetState;
import io.fulcrum.model.Target;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.scaling.ResponseTimeTotals;
import io.fulcrum.scaling.TargetRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Auto scaling's view of a running {@link FulcrumServer}'s target groups. */
public final class ServerTargetRegistry implements TargetRegistry {
    private final FulcrumServer server;

    public ServerTargetRegistry(FulcrumServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public void register(String targetGroupName, Target target) {
        server.registerTarget(targetGroupName, target);
    }

    @Override
    public CompletableFuture<Void> deregister(String targetGroupName, Target target) {
        return server.deregisterTarget(targetGroupName, target.address());
    }

    @Override
    public Optional<TargetState> state(String targetGroupName, Target target) {
        LiveTargetGroup group = server.targetGroup(targetGroupName);
        if (group == null) {
            return Optional.empty();
        }
        String key = target.address();
        for (LiveTarget live : group.targets()) {
            if (live.key().equals(key) && !live.draining()) {
                return Optional.of(live.health().state());
            }
        }
        return Optional.empty();
    }

    @Override
    public long requestCount(String targetGroupName) {
        return server.requestCount(targetGroupName);
    }

    @Override
    public ResponseTimeTotals responseTime(String targetGroupName) {
        return server.responseTime(targetGroupName);
    }
}
