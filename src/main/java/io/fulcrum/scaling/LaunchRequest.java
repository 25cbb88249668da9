package io.fulcrum.scaling;

import io.fulcrum.model.LaunchTemplate;
import java.util.Objects;

/**
 * What to launch: a template (one version of it) and the group and zone the instance belongs to,
 * which also fill the template's {@code ${GROUP}} and {@code ${ZONE}}.
 */
public record LaunchRequest(LaunchTemplate template, String group, String zone) {
    public LaunchRequest {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(zone, "zone");
    }
}
