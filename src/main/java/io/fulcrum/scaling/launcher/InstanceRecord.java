package io.fulcrum.scaling.launcher;

import java.util.List;

/**
 * What {@code <dataDir>/instances/<id>.json} says about one launched instance: enough to prove, after
 * a restart, that a running process is that instance (pid, boot id, start ticks and the marker
 * variable, checked against /proc) and to run it on.
 *
 * @param startTicks field 22 of /proc/pid/stat: clock ticks since boot when the process started
 * @param launchTime ISO-8601 instant
 */
record InstanceRecord(String instanceId, long pid, String bootId, long startTicks, String launchTime, int port,
                      String zone, String group, String templateName, int templateVersion,
                      long terminationGracePeriodMillis, List<String> command, String logFile) {
}
