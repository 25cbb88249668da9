package io.fulcrum.scaling;

import java.time.Instant;

/**
 * One instance of an auto scaling group at a moment, as AWS's DescribeAutoScalingInstances shows it.
 *
 * @param healthy false once the group judged it unhealthy (dead, or ELB-unhealthy after the grace period)
 * @param protectedFromScaleIn true: scale-in never picks it (AWS's ProtectedFromScaleIn)
 */
public record InstanceDescription(String instanceId, String groupName, String zone, LifecycleState lifecycleState,
                                  boolean healthy, int port, Instant launchTime, String launchTemplateName,
                                  int launchTemplateVersion, boolean adopted, boolean protectedFromScaleIn) {
    /** AWS's health status: {@code Healthy} or {@code Unhealthy}. */
    public String healthStatus() {
        return healthy ? "Healthy" : "Unhealthy";
    }
}
