package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.TerminationPolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scale-in's choice: protection, health, zones, then the termination policies in order. */
class TerminationSelectorTest {
    private static final List<String> ZONES = List.of("zone-a", "zone-b");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static InstanceDescription instance(String id, String zone, int launchedAt, int version) {
        return new InstanceDescription(id, "web-asg", zone, LifecycleState.IN_SERVICE, true, 1000, T0.plusSeconds(launchedAt),
                "demo", version, false, false);
    }

    private static InstanceDescription with(InstanceDescription i, boolean healthy, boolean protect) {
        return new InstanceDescription(i.instanceId(), i.groupName(), i.zone(), i.lifecycleState(), healthy, i.port(),
                i.launchTime(), i.launchTemplateName(), i.launchTemplateVersion(), i.adopted(), protect);
    }

    private static String choose(List<InstanceDescription> candidates, TerminationPolicy... policies) {
        return TerminationSelector.choose(candidates, ZONES, List.of(policies), "demo")
                .map(InstanceDescription::instanceId).orElse(null);
    }

    @Test
    void defaultTakesTheFullestZoneThenTheOldestVersionThenTheOldest() {
        var a1 = instance("i-a1", "zone-a", 10, 2);
        var a2 = instance("i-a2", "zone-a", 20, 1);
        var a3 = instance("i-a3", "zone-a", 5, 2);
        var b1 = instance("i-b1", "zone-b", 0, 1);
        assertThat(choose(List.of(a1, a2, a3, b1), TerminationPolicy.Default)).isEqualTo("i-a2"); // version 1 in zone-a
        assertThat(choose(List.of(a1, a3, b1), TerminationPolicy.Default)).isEqualTo("i-a3"); // same version: oldest
        var other = new InstanceDescription("i-x", "web-asg", "zone-a", LifecycleState.IN_SERVICE, true, 1, T0.plusSeconds(99),
                "legacy", 9, false, false);
        assertThat(choose(List.of(a1, a3, other, b1), TerminationPolicy.Default)).isEqualTo("i-x"); // another template
    }

    @Test
    void namedPoliciesApplyInOrderWithinTheFullestZone() {
        var a1 = instance("i-a1", "zone-a", 10, 1);
        var a2 = instance("i-a2", "zone-a", 20, 2);
        var a3 = instance("i-a3", "zone-a", 30, 1);
        var b1 = instance("i-b1", "zone-b", 0, 1);
        List<InstanceDescription> all = List.of(a1, a2, a3, b1);
        assertThat(choose(all, TerminationPolicy.NewestInstance)).isEqualTo("i-a3");
        assertThat(choose(all, TerminationPolicy.OldestInstance)).isEqualTo("i-a1");
        assertThat(choose(all, TerminationPolicy.OldestLaunchTemplate, TerminationPolicy.NewestInstance)).isEqualTo("i-a3");
        assertThat(choose(List.of(a2, b1), TerminationPolicy.NewestInstance)).isEqualTo("i-a2"); // zones tie: newest
    }

    @Test
    void protectedNeverUnhealthyFirstStrayZoneFirst() {
        var a1 = instance("i-a1", "zone-a", 10, 1);
        var a2 = instance("i-a2", "zone-a", 20, 1);
        var b1 = instance("i-b1", "zone-b", 0, 1);
        // zone-a is fullest, but both there are protected: the zone with an unprotected instance is chosen
        assertThat(choose(List.of(with(a1, true, true), with(a2, true, true), b1), TerminationPolicy.Default))
                .isEqualTo("i-b1");
        assertThat(choose(List.of(with(a1, true, true), with(b1, true, true)), TerminationPolicy.Default)).isNull();
        // an unhealthy one goes first whatever its zone and the policies
        assertThat(choose(List.of(a1, a2, with(b1, false, false)), TerminationPolicy.NewestInstance)).isEqualTo("i-b1");
        // an instance in a zone the group no longer has goes first
        var c1 = instance("i-c1", "zone-c", 50, 1);
        assertThat(choose(List.of(a1, a2, b1, c1), TerminationPolicy.OldestInstance)).isEqualTo("i-c1");
    }
}
