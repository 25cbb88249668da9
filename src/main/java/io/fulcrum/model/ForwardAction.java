package io.fulcrum.model;

import java.time.Duration;
import java.util.List;

/** Forward to one target group, or to several by weight. */
public record ForwardAction(List<TargetGroupWeight> targetGroups, GroupStickiness stickiness) implements Action {
    public static final int MAX_WEIGHT = 999;
    public static final int MAX_TARGET_GROUPS = 5;

    public ForwardAction {
        targetGroups = Lists.copy(targetGroups);
        if (stickiness == null) {
            stickiness = GroupStickiness.OFF;
        }
    }

    /** Forward to a single group. */
    public static ForwardAction to(String targetGroupName) {
        return new ForwardAction(List.of(new TargetGroupWeight(targetGroupName, 1)), GroupStickiness.OFF);
    }

    @Override
    public String type() {
        return "forward";
    }

    /** One target group of a forward action and its weight (0..999). */
    public record TargetGroupWeight(String targetGroupName, int weight) {
    }

    /** Keeps a client on the target group it was first sent to, for a duration (1 s .. 7 days). */
    public record GroupStickiness(boolean enabled, Duration duration) {
        public static final GroupStickiness OFF = new GroupStickiness(false, Duration.ofHours(1));
    }
}
