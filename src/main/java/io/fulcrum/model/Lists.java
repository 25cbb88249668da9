package io.fulcrum.model;

import java.util.List;

/** Null-tolerant immutable copies for record components. */
final class Lists {
    private Lists() {
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
