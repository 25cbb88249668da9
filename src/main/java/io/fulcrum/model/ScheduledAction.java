package io.fulcrum.model;

import java.time.Instant;

/**
 * A scheduled action of an auto scaling group (AWS's PutScheduledUpdateGroupAction): at each time
 * its cron {@code recurrence} names, in {@code timeZone}, between {@code startTime} and
 * {@code endTime}, it sets whichever of minSize, maxSize and desiredCapacity it has. Without a
 * recurrence it runs once, at {@code startTime}.
 *
 * @param recurrence a five-field Unix cron expression, or null for a one-time action
 * @param timeZone an IANA zone name such as Europe/Paris; null for UTC, as in AWS
 * @param startTime null: from now on
 * @param endTime null: for ever
 */
public record ScheduledAction(String name, String recurrence, String timeZone, Instant startTime, Instant endTime,
                              Integer minSize, Integer maxSize, Integer desiredCapacity) {
}
