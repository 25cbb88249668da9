package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Instance ids look like EC2's. */
class InstanceIdsTest {
    @Test
    void idsAreIDashAnd17LowercaseHexDigits() {
        Random random = new Random(7);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = InstanceIds.next(random);
            assertThat(id).matches("i-[0-9a-f]{17}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
        assertThat(InstanceIds.isValid("i-0123456789abcdef0")).isTrue();
        assertThat(InstanceIds.isValid("i-0123456789ABCDEF0")).isFalse();
        assertThat(InstanceIds.isValid("i-0123456789abcdef")).isFalse();
        assertThat(InstanceIds.isValid(null)).isFalse();
    }
}
