package io.fulcrum.model;

import java.util.List;

/** A listener rule: all conditions must match, then its actions run. Lowest priority first. */
public record Rule(int priority, List<Condition> conditions, List<Action> actions) {
    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 50_000;

    public Rule {
        conditions = Lists.copy(conditions);
        actions = Lists.copy(actions);
    }
}
