package io.fulcrum.routing;

import io.fulcrum.model.Action;

/**
 * The outcome of matching: the rule's priority (0 for the listener's default action) and its action.
 * Created once at compile time, so returning one allocates nothing.
 */
public record MatchedRule(int priority, Action action) {
    /** Priority reported when no rule matched and the default action applies. */
    public static final int DEFAULT_PRIORITY = 0;

    /** True when no rule matched and this is the listener's default action. */
    public boolean isDefault() {
        return priority == DEFAULT_PRIORITY;
    }
}
