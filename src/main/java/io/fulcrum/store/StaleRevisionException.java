package io.fulcrum.store;

/** A compare-and-set named a revision that is no longer the current one: someone else wrote first. */
public final class StaleRevisionException extends Exception {
    private final long expected;
    private final long actual;

    public StaleRevisionException(long expected, long actual) {
        super("revision " + expected + " is not the current one (current: " + actual + ")");
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
