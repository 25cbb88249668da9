package io.fulcrum.endtoend;

import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.testing.RunningFulcrum;

/** Lookups shared by the target group tests. */
final class Groups {
    private Groups() {
    }

    /** The live target of group "web" at {@code address}, or null when it is not registered. */
    static LiveTarget target(RunningFulcrum fulcrum, String address) {
        return fulcrum.server().targetGroup("web").targets().stream()
                .filter(t -> t.key().equals(address)).findFirst().orElse(null);
    }
}
