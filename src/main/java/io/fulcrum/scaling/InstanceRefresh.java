package io.fulcrum.scaling;

import java.time.Instant;

/**
 * An instance refresh at a moment, as AWS's DescribeInstanceRefreshes shows it.
 *
 * @param targetVersion the launch template version instances are being moved to (during a rollback, the
 *     previous one)
 * @param percentageComplete the share of the instances to replace that were replaced and are warmed up
 * @param instancesToUpdate instances still to replace
 * @param statusReason why it failed, was cancelled or rolled back; null otherwise
 * @param endTime null while active
 */
public record InstanceRefresh(String instanceRefreshId, String groupName, InstanceRefreshStatus status,
                              String statusReason, Instant startTime, Instant endTime, int percentageComplete,
                              int instancesToUpdate, String launchTemplateName, int targetVersion,
                              InstanceRefreshPreferences preferences) {
}
