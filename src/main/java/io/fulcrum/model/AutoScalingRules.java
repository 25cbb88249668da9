package io.fulcrum.model;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of launch templates and auto scaling groups, and of their references to each other and to target groups. */
final class AutoScalingRules {
    /** AWS allows 1-255 characters; Fulcrum keeps to those safe in a file name and a ${GROUP} placeholder. */
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern ZONE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AutoScalingRules() {
    }

    static void validate(FulcrumConfig config, List<ConfigProblem> problems) {
        Map<String, String> templatePaths = new HashMap<>();
        for (int i = 0; i < config.launchTemplates().size(); i++) {
            String path = "launchTemplates[" + i + "]";
            LaunchTemplate template = config.launchTemplates().get(i);
            List<ConfigProblem> own = LaunchTemplate.validate(path, template);
            problems.addAll(own);
            if (template == null) {
                continue;
            }
            if (template.name() != null) {
                unique(path, template.name(), templatePaths, problems);
            }
            if (own.stream().noneMatch(p -> p.path().startsWith(path + ".command")
                    || p.path().startsWith(path + ".workingDirectory") || p.path().startsWith(path + ".environment"))) {
                program(path, template, problems);
            }
            versions(path, template, problems);
        }
        Map<String, String> groupPaths = new HashMap<>();
        for (int i = 0; i < config.autoScalingGroups().size(); i++) {
            String path = "autoScalingGroups[" + i + "]";
            AutoScalingGroup group = config.autoScalingGroups().get(i);
            if (group == null) {
                problems.add(new ConfigProblem(path, "missing (expected: an auto scaling group)"));
                continue;
            }
            if (group.name() == null || !GROUP_NAME.matcher(group.name()).matches()) {
                problems.add(new ConfigProblem(path + ".name", quote(group.name())
                        + " (expected: 1-255 letters, digits or . _ -, starting with a letter or digit)"));
            } else {
                unique(path, group.name(), groupPaths, problems);
            }
            group(path, group, config, problems);
        }
    }

    /** Each other version is a whole template: its own rules, a unique number; defaultVersion must exist. */
    private static void versions(String path, LaunchTemplate template, List<ConfigProblem> problems) {
        Set<Integer> numbers = new HashSet<>();
        numbers.add(template.version());
        for (int j = 0; j < template.versions().size(); j++) {
            String versionPath = path + ".versions[" + j + "]";
            LaunchTemplate version = template.versions().get(j);
            List<ConfigProblem> own = LaunchTemplate.validate(versionPath, version);
            problems.addAll(own.stream().filter(p -> !p.path().equals(versionPath + ".name")).toList());
            if (own.isEmpty() && !version.command().equals(template.command())) {
                program(versionPath, version, problems);
            }
            if (!numbers.add(version.version())) {
                problems.add(new ConfigProblem(versionPath + ".version", version.version()
                        + " is already a version of this template (expected: a unique version number)"));
            }
        }
        if (!numbers.contains(template.defaultVersion())) {
            problems.add(new ConfigProblem(path + ".defaultVersion", template.defaultVersion()
                    + " (expected: one of the template's versions: " + new java.util.TreeSet<>(numbers) + ")"));
        }
    }

    private static void group(String path, AutoScalingGroup group, FulcrumConfig config, List<ConfigProblem> problems) {
        LaunchTemplate template = group.launchTemplateName() == null ? null : config.launchTemplate(group.launchTemplateName());
        if (group.launchTemplateName() != null && template == null) {
            problems.add(new ConfigProblem(path + ".launchTemplateName", quote(group.launchTemplateName())
                    + " (expected: the name of a launch template: " + names(config.launchTemplates().stream()
                    .map(LaunchTemplate::name).toList()) + ")"));
        } else if (template != null && template.resolve(group.launchTemplateVersion()).isEmpty()) {
            problems.add(new ConfigProblem(path + ".launchTemplateVersion", quote(group.launchTemplateVersion())
                    + " (expected: $Latest, $Default or a version of " + template.name() + ": "
                    + template.allVersions().stream().map(LaunchTemplate::version)
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)) + ")"));
        }
        if (group.minSize() < 0) {
            problems.add(new ConfigProblem(path + ".minSize", group.minSize() + " (expected: 0 or more)"));
        }
        if (group.maxSize() < Math.max(0, group.minSize())) {
            problems.add(new ConfigProblem(path + ".maxSize", group.maxSize() + " (expected: at least minSize "
                    + group.minSize() + ")"));
        } else if (group.desiredCapacity() < group.minSize() || group.desiredCapacity() > group.maxSize()) {
            problems.add(new ConfigProblem(path + ".desiredCapacity", group.desiredCapacity() + " (expected: "
                    + group.minSize() + "-" + group.maxSize() + ", between minSize and maxSize)"));
        }
        if (group.zones().isEmpty()) {
            problems.add(new ConfigProblem(path + ".zones", "empty (expected: at least one zone name like zone-a)"));
        }
        Set<String> zones = new HashSet<>();
        for (int i = 0; i < group.zones().size(); i++) {
            String zone = group.zones().get(i);
            if (zone == null || !ZONE_NAME.matcher(zone).matches()) {
                problems.add(new ConfigProblem(path + ".zones[" + i + "]", quote(zone)
                        + " (expected: 1-64 letters, digits or . _ -, like zone-a)"));
            } else if (!zones.add(zone)) {
                problems.add(new ConfigProblem(path + ".zones[" + i + "]", quote(zone)
                        + " is listed twice (expected: each zone once)"));
            }
        }
        Set<String> attached = new HashSet<>();
        for (int i = 0; i < group.targetGroupNames().size(); i++) {
            String name = group.targetGroupNames().get(i);
            String tgPath = path + ".targetGroupNames[" + i + "]";
            TargetGroup target = name == null ? null : config.targetGroup(name);
            if (target == null) {
                problems.add(new ConfigProblem(tgPath, quote(name) + " (expected: the name of a target group: "
                        + names(config.targetGroups().stream().map(TargetGroup::name).toList()) + ")"));
            } else if (!attached.add(name)) {
                problems.add(new ConfigProblem(tgPath, quote(name) + " is listed twice (expected: each target group once)"));
            } else if (target.targetType() != TargetType.INSTANCE) {
                problems.add(new ConfigProblem(tgPath, quote(name) + " has targetType "
                        + (target.targetType() == null ? "missing" : target.targetType().name().toLowerCase(Locale.ROOT))
                        + " (expected: a target group of targetType instance)"));
            }
        }
        if (group.healthCheckGracePeriod().isNegative()) {
            problems.add(new ConfigProblem(path + ".healthCheckGracePeriod",
                    DurationText.format(group.healthCheckGracePeriod()) + " (expected: 0s or more)"));
        }
        policies(path, group, config, problems);
        if (group.defaultCooldown().isNegative()) {
            problems.add(new ConfigProblem(path + ".defaultCooldown",
                    DurationText.format(group.defaultCooldown()) + " (expected: 0s or more)"));
        }
        scheduledActions(path, group, problems);
        Set<TerminationPolicy> seenPolicies = new HashSet<>();
        for (int i = 0; i < group.terminationPolicies().size(); i++) {
            TerminationPolicy policy = group.terminationPolicies().get(i);
            if (!seenPolicies.add(policy)) {
                problems.add(new ConfigProblem(path + ".terminationPolicies[" + i + "]", policy
                        + " is listed twice (expected: each policy once)"));
            }
        }
        if (group.healthCheckType() == HealthCheckType.ELB && group.targetGroupNames().isEmpty()) {
            problems.add(new ConfigProblem(path + ".healthCheckType", "ELB without targetGroupNames (expected: EC2,"
                    + " or target groups whose health checks judge the instances)"));
        }
    }

    private static void policies(String path, AutoScalingGroup group, FulcrumConfig config,
                                 List<ConfigProblem> problems) {
        for (String key : List.of("defaultInstanceWarmup", "scaleInStabilization")) {
            java.time.Duration value = key.equals("defaultInstanceWarmup") ? group.defaultInstanceWarmup()
                    : group.scaleInStabilization();
            if (value.isNegative()) {
                problems.add(new ConfigProblem(path + "." + key, DurationText.format(value) + " (expected: 0s or more)"));
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < group.policies().size(); i++) {
            ScalingPolicy policy = group.policies().get(i);
            String policyPath = path + ".policies[" + i + "]";
            if (policy.name() == null || !GROUP_NAME.matcher(policy.name()).matches()) {
                problems.add(new ConfigProblem(policyPath + ".name", quote(policy.name())
                        + " (expected: 1-255 letters, digits or . _ -, starting with a letter or digit)"));
            } else if (!names.add(policy.name())) {
                problems.add(new ConfigProblem(policyPath + ".name", quote(policy.name())
                        + " is already the name of another policy of this group (expected: a unique name)"));
            }
            if (policy.type() == null) {
                problems.add(new ConfigProblem(policyPath + ".type",
                        "missing (expected: TargetTrackingScaling, StepScaling, SimpleScaling)"));
                continue;
            }
            switch (policy.type()) {
                case TargetTrackingScaling -> targetTracking(policyPath, group, config, policy, problems);
                case StepScaling, SimpleScaling -> alarmed(policyPath, group, config, policy, problems);
            }
        }
    }

    private static void scheduledActions(String path, AutoScalingGroup group, List<ConfigProblem> problems) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < group.scheduledActions().size(); i++) {
            ScheduledAction action = group.scheduledActions().get(i);
            String actionPath = path + ".scheduledActions[" + i + "]";
            if (action.name() == null || !GROUP_NAME.matcher(action.name()).matches()) {
                problems.add(new ConfigProblem(actionPath + ".name", quote(action.name())
                        + " (expected: 1-255 letters, digits or . _ -, starting with a letter or digit)"));
            } else if (!names.add(action.name())) {
                problems.add(new ConfigProblem(actionPath + ".name", quote(action.name())
                        + " is already the name of another scheduled action of this group (expected: a unique name)"));
            }
            if (action.recurrence() != null) {
                try {
                    CronExpression.parse(action.recurrence());
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem(actionPath + ".recurrence", e.getMessage()));
                }
            } else if (action.startTime() == null) {
                problems.add(new ConfigProblem(actionPath, "neither recurrence nor startTime (expected: a cron recurrence"
                        + " like \"0 9 * * MON-FRI\", or a startTime for a one-time action)"));
            }
            if (action.timeZone() != null) {
                try {
                    java.time.ZoneId.of(action.timeZone());
                } catch (java.time.DateTimeException e) {
                    problems.add(new ConfigProblem(actionPath + ".timeZone", quote(action.timeZone())
                            + " (expected: a time zone name like Europe/Paris or UTC)"));
                }
            }
            if (action.startTime() != null && action.endTime() != null && !action.endTime().isAfter(action.startTime())) {
                problems.add(new ConfigProblem(actionPath + ".endTime", action.endTime() + " (expected: after startTime "
                        + action.startTime() + ")"));
            }
            if (action.minSize() == null && action.maxSize() == null && action.desiredCapacity() == null) {
                problems.add(new ConfigProblem(actionPath, "sets nothing (expected: at least one of minSize, maxSize,"
                        + " desiredCapacity)"));
            }
            for (String key : List.of("minSize", "maxSize", "desiredCapacity")) {
                Integer value = key.equals("minSize") ? action.minSize() : key.equals("maxSize") ? action.maxSize()
                        : action.desiredCapacity();
                if (value != null && value < 0) {
                    problems.add(new ConfigProblem(actionPath + "." + key, value + " (expected: 0 or more)"));
                }
            }
            if (action.minSize() != null && action.maxSize() != null && action.minSize() > action.maxSize()) {
                problems.add(new ConfigProblem(actionPath + ".maxSize", action.maxSize() + " (expected: at least minSize "
                        + action.minSize() + ")"));
            } else if (action.desiredCapacity() != null && ((action.minSize() != null
                    && action.desiredCapacity() < action.minSize()) || (action.maxSize() != null
                    && action.desiredCapacity() > action.maxSize()))) {
                problems.add(new ConfigProblem(actionPath + ".desiredCapacity", action.desiredCapacity()
                        + " (expected: between the action's minSize and maxSize)"));
            }
        }
    }

    private static void targetTracking(String policyPath, AutoScalingGroup group, FulcrumConfig config,
                                       ScalingPolicy policy, List<ConfigProblem> problems) {
        notFor(policyPath, policy, problems, policy.alarm() != null, "alarm");
        notFor(policyPath, policy, problems, policy.adjustmentType() != null, "adjustmentType");
        notFor(policyPath, policy, problems, !policy.stepAdjustments().isEmpty(), "stepAdjustments");
        notFor(policyPath, policy, problems, policy.scalingAdjustment() != null, "scalingAdjustment");
        notFor(policyPath, policy, problems, policy.cooldown() != null, "cooldown");
        TargetTrackingConfiguration tracking = policy.targetTracking();
        if (tracking == null) {
            problems.add(new ConfigProblem(policyPath + ".targetTracking",
                    "missing (expected: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 1000})"));
            return;
        }
        if (tracking.predefinedMetric() == null) {
            problems.add(new ConfigProblem(policyPath + ".targetTracking.predefinedMetric",
                    "missing (expected: ALBRequestCountPerTarget, ASGAverageCPUUtilization or ALBTargetResponseTime)"));
        }
        metric(policyPath + ".targetTracking.predefinedMetric", tracking.predefinedMetric(), group, config, problems);
        if (!(tracking.targetValue() > 0) || Double.isInfinite(tracking.targetValue())) {
            problems.add(new ConfigProblem(policyPath + ".targetTracking.targetValue",
                    tracking.targetValue() + " (expected: a number above 0)"));
        }
    }

    private static void alarmed(String policyPath, AutoScalingGroup group, FulcrumConfig config, ScalingPolicy policy,
                                List<ConfigProblem> problems) {
        boolean step = policy.type() == ScalingPolicyType.StepScaling;
        notFor(policyPath, policy, problems, policy.targetTracking() != null, "targetTracking");
        PolicyAlarm alarm = policy.alarm();
        if (alarm == null) {
            problems.add(new ConfigProblem(policyPath + ".alarm", "missing (expected: {metric: ALBRequestCountPerTarget,"
                    + " comparisonOperator: GreaterThanOrEqualToThreshold, threshold: 600})"));
        } else {
            if (alarm.metric() == null || alarm.comparisonOperator() == null) {
                problems.add(new ConfigProblem(policyPath + ".alarm", "without " + (alarm.metric() == null ? "metric"
                        : "comparisonOperator") + " (expected: both metric and comparisonOperator)"));
            }
            metric(policyPath + ".alarm.metric", alarm.metric(), group, config, problems);
            if (alarm.evaluationPeriods() < 1) {
                problems.add(new ConfigProblem(policyPath + ".alarm.evaluationPeriods", alarm.evaluationPeriods()
                        + " (expected: 1 or more)"));
            }
            if (Double.isNaN(alarm.threshold()) || Double.isInfinite(alarm.threshold())) {
                problems.add(new ConfigProblem(policyPath + ".alarm.threshold", alarm.threshold() + " (expected: a number)"));
            }
        }
        if (policy.adjustmentType() == null) {
            problems.add(new ConfigProblem(policyPath + ".adjustmentType",
                    "missing (expected: ChangeInCapacity, ExactCapacity or PercentChangeInCapacity)"));
        }
        if (policy.minAdjustmentMagnitude() != null) {
            if (policy.adjustmentType() != AdjustmentType.PercentChangeInCapacity) {
                problems.add(new ConfigProblem(policyPath + ".minAdjustmentMagnitude", policy.minAdjustmentMagnitude()
                        + " with adjustmentType " + policy.adjustmentType() + " (expected: only with PercentChangeInCapacity)"));
            } else if (policy.minAdjustmentMagnitude() < 1) {
                problems.add(new ConfigProblem(policyPath + ".minAdjustmentMagnitude", policy.minAdjustmentMagnitude()
                        + " (expected: 1 or more)"));
            }
        }
        if (step) {
            notFor(policyPath, policy, problems, policy.scalingAdjustment() != null, "scalingAdjustment");
            notFor(policyPath, policy, problems, policy.cooldown() != null, "cooldown");
            steps(policyPath, policy, problems);
        } else {
            notFor(policyPath, policy, problems, !policy.stepAdjustments().isEmpty(), "stepAdjustments");
            if (policy.scalingAdjustment() == null) {
                problems.add(new ConfigProblem(policyPath + ".scalingAdjustment",
                        "missing (expected: a whole number of instances, or percent, like 1 or -1)"));
            } else if (policy.adjustmentType() == AdjustmentType.ExactCapacity && policy.scalingAdjustment() < 0) {
                problems.add(new ConfigProblem(policyPath + ".scalingAdjustment", policy.scalingAdjustment()
                        + " (expected: 0 or more with ExactCapacity)"));
            }
            if (policy.cooldown() != null && policy.cooldown().isNegative()) {
                problems.add(new ConfigProblem(policyPath + ".cooldown", DurationText.format(policy.cooldown())
                        + " (expected: 0s or more)"));
            }
        }
    }

    /** AWS's rules for steps: each lower bound below its upper bound, no overlap and no gap between steps. */
    private static void steps(String policyPath, ScalingPolicy policy, List<ConfigProblem> problems) {
        List<StepAdjustment> steps = policy.stepAdjustments();
        if (steps.isEmpty()) {
            problems.add(new ConfigProblem(policyPath + ".stepAdjustments", "empty (expected: at least one step like"
                    + " {metricIntervalLowerBound: 0, scalingAdjustment: 1})"));
            return;
        }
        List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            StepAdjustment step = steps.get(i);
            String stepPath = policyPath + ".stepAdjustments[" + i + "]";
            if (step.metricIntervalLowerBound() != null && step.metricIntervalUpperBound() != null
                    && step.metricIntervalLowerBound() >= step.metricIntervalUpperBound()) {
                problems.add(new ConfigProblem(stepPath + ".metricIntervalUpperBound", step.metricIntervalUpperBound()
                        + " (expected: above metricIntervalLowerBound " + step.metricIntervalLowerBound() + ")"));
                return;
            }
            if (policy.adjustmentType() == AdjustmentType.ExactCapacity && step.scalingAdjustment() < 0) {
                problems.add(new ConfigProblem(stepPath + ".scalingAdjustment", step.scalingAdjustment()
                        + " (expected: 0 or more with ExactCapacity)"));
            }
            order.add(i);
        }
        order.sort(java.util.Comparator.comparingDouble(i -> steps.get(i).metricIntervalLowerBound() == null
                ? Double.NEGATIVE_INFINITY : steps.get(i).metricIntervalLowerBound()));
        for (int k = 1; k < order.size(); k++) {
            StepAdjustment previous = steps.get(order.get(k - 1));
            StepAdjustment next = steps.get(order.get(k));
            double upper = previous.metricIntervalUpperBound() == null ? Double.POSITIVE_INFINITY
                    : previous.metricIntervalUpperBound();
            double lower = next.metricIntervalLowerBound() == null ? Double.NEGATIVE_INFINITY
                    : next.metricIntervalLowerBound();
            if (upper != lower) {
                problems.add(new ConfigProblem(policyPath + ".stepAdjustments[" + order.get(k) + "].metricIntervalLowerBound",
                        next.metricIntervalLowerBound() + (upper > lower ? " overlaps" : " leaves a gap after")
                        + " stepAdjustments[" + order.get(k - 1) + "] (expected: " + (upper == Double.POSITIVE_INFINITY
                        ? "no step above one without an upper bound" : upper + ", its metricIntervalUpperBound") + ")"));
                return;
            }
        }
    }

    private static void metric(String path, PredefinedMetric metric, AutoScalingGroup group, FulcrumConfig config,
                               List<ConfigProblem> problems) {
        if ((metric == PredefinedMetric.ALBRequestCountPerTarget || metric == PredefinedMetric.ALBTargetResponseTime)
                && group.targetGroupNames().isEmpty()) {
            problems.add(new ConfigProblem(path,
                    metric + " without targetGroupNames (expected: a group attached to a target group)"));
        }
        if (metric == PredefinedMetric.ALBTargetResponseTime) {
            // a TCP, TLS or UDP target group carries bytes, not requests: it has no response time to follow
            for (String name : group.targetGroupNames()) {
                TargetGroup target = name == null ? null : config.targetGroup(name);
                if (target != null && target.protocol() != null
                        && (target.protocol().carriesTcp() || target.protocol().carriesUdp())) {
                    problems.add(new ConfigProblem(path, "ALBTargetResponseTime with target group " + quote(name)
                            + " of protocol " + target.protocol() + " (expected: HTTP or HTTPS target groups,"
                            + " whose response times the balancer measures)"));
                }
            }
        }
    }

    private static void notFor(String policyPath, ScalingPolicy policy, List<ConfigProblem> problems, boolean present,
                               String key) {
        if (present) {
            problems.add(new ConfigProblem(policyPath + "." + key, "is not used by a " + policy.type()
                    + " policy (expected: no " + key + ")"));
        }
    }

    /**
     * The program must exist before anything is launched: a typo would otherwise show up only as a
     * stream of failed launches. Parts with placeholders are judged at launch time instead.
     */
    private static void program(String path, LaunchTemplate template, List<ConfigProblem> problems) {
        String program = template.command().get(0);
        String directory = template.workingDirectory();
        if (directory != null && !directory.contains("${")) {
            if (!Files.isDirectory(Path.of(directory))) {
                problems.add(new ConfigProblem(path + ".workingDirectory", quote(directory)
                        + " does not exist (expected: a directory; a relative one is relative to the config file's directory)"));
                return;
            }
        }
        if (program.contains("${") || (directory != null && directory.contains("${") && program.contains("/"))) {
            return;
        }
        String searchPath = template.environment().getOrDefault("PATH", System.getenv("PATH"));
        if (!executableExists(program, searchPath, directory == null ? null : Path.of(directory))) {
            problems.add(new ConfigProblem(path + ".command[0]", quote(program) + (program.contains("/")
                    ? " is not an executable file" + (directory != null && !Path.of(program).isAbsolute()
                            ? " in " + directory : "")
                    : " is not found on PATH") + " (expected: a program to run)"));
        }
    }

    private static boolean executableExists(String program, String searchPath, Path workingDirectory) {
        if (program.contains("/")) {
            Path file = Path.of(program);
            if (!file.isAbsolute() && workingDirectory != null) {
                file = workingDirectory.resolve(file);
            }
            return Files.isRegularFile(file) && Files.isExecutable(file);
        }
        String searched = searchPath == null ? "/usr/local/bin:/usr/bin:/bin" : searchPath;
        for (String entry : searched.split(File.pathSeparator, -1)) {
            Path file = Path.of(entry.isEmpty() ? "." : entry).resolve(program);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return true;
            }
        }
        return false;
    }

    private static void unique(String path, String name, Map<String, String> seen, List<ConfigProblem> problems) {
        String first = seen.putIfAbsent(name, path);
        if (first != null) {
            problems.add(new ConfigProblem(path + ".name", quote(name) + " is already the name of " + first
                    + " (expected: a unique name)"));
        }
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none is defined" : String.join(", ", names);
    }

    private static String quote(String text) {
        return text == null ? "missing" : '"' + text + '"';
    }
}
