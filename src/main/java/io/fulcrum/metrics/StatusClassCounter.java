package io.fulcrum.metrics;

import java.util.concurrent.atomic.LongAdder;

/** Responses counted by status class (1xx to 5xx): one LongAdder per class, no lock, no allocation. */
public final class StatusClassCounter {
    /** The classes exposed, as the {@code class} tag shows them. */
    static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final LongAdder[] counts = new LongAdder[CLASSES.length];

    public StatusClassCounter() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one response; a status outside 100-599 is ignored. */
    public void record(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < counts.length) {
            counts[index].increment();
        }
    }

    /** Responses of a class, 1 for 1xx up to 5 for 5xx. */
    public long count(int statusClass) {
        return counts[statusClass - 1].sum();
    }

    LongAdder adder(int index) {
        return counts[index];
    }
}
