package io.fulcrum.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * One launch or termination of an auto scaling group, as AWS's DescribeScalingActivities shows it.
 *
 * @param description {@code Launching a new EC2 instance: i-…} or {@code Terminating EC2 instance: i-…}
 *     ({@code Launching a new EC2 instance} alone while, or when, no instance exists yet)
 * @param cause why, worded as AWS words it (sentences separated by two spaces), since scripts parse it
 * @param endTime null while in progress
 * @param statusMessage why it failed, or null
 */
public record ScalingActivity(String activityId, String groupName, String description, String cause,
                              Instant startTime, Instant endTime, ActivityStatus status, String statusMessage) {
    public Optional<Instant> end() {
        return Optional.ofNullable(endTime);
    }

    ScalingActivity finish(Instant at, ActivityStatus finalStatus, String message) {
        return new ScalingActivity(activityId, groupName, description, cause, startTime, at, finalStatus, message);
    }

    ScalingActivity describing(String newDescription) {
        return new ScalingActivity(activityId, groupName, newDescription, cause, startTime, endTime, status, statusMessage);
    }

    @Override
    public String toString() {
        return activityId + " " + status + ": " + description + ". Cause: " + cause
                + (statusMessage == null ? "" : " Status reason: " + statusMessage);
    }
}
