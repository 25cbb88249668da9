package io.fulcrum.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.model.Action;
import io.fulcrum.model.AdjustmentType;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.ComparisonOperator;
import io.fulcrum.model.PolicyAlarm;
import io.fulcrum.model.StepAdjustment;
import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.model.PredefinedMetric;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.TargetTrackingConfiguration;
import io.fulcrum.model.Algorithm;
import io.fulcrum.model.Condition;
import io.fulcrum.model.ConditionField;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.HealthCheckProtocol;
import io.fulcrum.model.Listener;
import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.AccessLogSettings;
import io.fulcrum.model.LoadBalancerAttributes;
import io.fulcrum.model.Protocol;
import io.fulcrum.model.ProtocolVersion;
import io.fulcrum.model.RedirectAction;
import io.fulcrum.model.Rule;
import io.fulcrum.model.StatusMatcher;
import io.fulcrum.model.Stickiness;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.model.TargetGroupAttributes;
import io.fulcrum.model.TargetType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Binds a YAML tree to the model records by hand, key by key, so that every problem gets its path
 * and binding goes on after one. Only shape and syntax are checked here; ranges and references are
 * {@link io.fulcrum.model.ConfigValidator}'s job.
 */
final class ConfigBinder {
    private static final java.util.regex.Pattern BYTE_SIZE = java.util.regex.Pattern.compile("(\\d{1,18})\\s*(B|KiB|MiB|GiB)?");
    private static final String ROOT = "(root)";
    private static final String PORT = "a port 1-65535";
    private static final String NAME = "a name like web";
    private static final String TRAFFIC_PORT = "traffic-port";
    private static final List<String> PROTOCOLS = names(Protocol.values());
    private static final List<String> HEALTH_CHECK_PROTOCOLS = names(HealthCheckProtocol.values());
    /** NLB hashes every UDP flow to a target: flow_hash is the UDP and TCP_UDP groups' default algorithm. */
    private static final TargetGroupAttributes UDP_ATTRIBUTES = withAlgorithm(TargetGroupAttributes.DEFAULTS,
            Algorithm.FLOW_HASH);
    private static final List<String> ALGORITHMS = Arrays.stream(Algorithm.values()).map(Algorithm::configName).toList();
    private static final List<String> PROTOCOL_VERSIONS = names(ProtocolVersion.values());
    private static final List<String> TARGET_TYPES = Arrays.stream(TargetType.values())
            .map(type -> type.name().toLowerCase(Locale.ROOT)).toList();
    private static final List<String> HEALTH_CHECK_TYPES = names(HealthCheckType.values());
    private static final List<String> POLICY_TYPES = names(ScalingPolicyType.values());
    /**
     * AWS's predefined metrics for auto scaling groups, and Fulcrum's ALBTargetResponseTime (CloudWatch's
     * TargetResponseTime, which AWS has no predefined metric for); those not implemented yet are reported as such.
     */
    private static final List<String> AWS_METRICS = List.of("ALBRequestCountPerTarget", "ASGAverageCPUUtilization",
            "ALBTargetResponseTime", "ASGAverageNetworkIn", "ASGAverageNetworkOut");
    private static final List<String> FIELDS = Arrays.stream(ConditionField.values()).map(ConditionField::configName).toList();
    private static final List<String> ACTION_TYPES = List.of("forward", "redirect", "fixed-response");
    private static final List<String> ACTION_CONFIGS = List.of("forwardConfig", "redirectConfig", "fixedResponseConfig");

    private final Problems problems;

    private ConfigBinder(Problems problems) {
        this.problems = problems;
    }

    /** Binds the document root; problems are added to {@code problems}. */
    static FulcrumConfig bind(JsonNode root, Problems problems) {
        return new ConfigBinder(problems).config(root);
    }

    private FulcrumConfig config(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new FulcrumConfig(List.of(), List.of()); // an empty file: nothing to serve yet
        }
        if (!root.isObject()) {
            problems.add(ROOT, YamlMap.describe(root) + " (expected: a mapping with loadBalancers and targetGroups)");
            return null;
        }
        YamlMap map = YamlMap.of(root, "", problems, "");
        List<LoadBalancer> loadBalancers = map.list("loadBalancers", (node, path, sink) -> loadBalancer(node, path));
        List<TargetGroup> targetGroups = map.list("targetGroups", (node, path, sink) -> targetGroup(node, path));
        List<LaunchTemplate> launchTemplates = map.list("launchTemplates",
                (node, path, sink) -> launchTemplate(node, path));
        List<AutoScalingGroup> autoScalingGroups = map.list("autoScalingGroups",
                (node, path, sink) -> autoScalingGroup(node, path));
        map.finish();
        return new FulcrumConfig(loadBalancers, targetGroups, launchTemplates, autoScalingGroups);
    }

    private LaunchTemplate launchTemplate(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a launch template {name, command, environment, workingDirectory}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("name", "a name like web-template");
        if (!map.has("command")) {
            map.problem("command", "missing (expected: the program and its arguments, like [java, -jar, app.jar])");
        }
        int version = map.integer("version", LaunchTemplate.DEFAULT_VERSION);
        LaunchTemplate base = templateVersion(map, name, version, null);
        List<LaunchTemplate> versions = map.list("versions", (element, elementPath, sink) -> {
            YamlMap versionMap = YamlMap.of(element, elementPath, problems,
                    "a version {version, command, environment, workingDirectory, terminationGracePeriod}");
            if (versionMap == null) {
                return null;
            }
            int number = versionMap.requiredInteger("version", "a version number like 2");
            LaunchTemplate other = templateVersion(versionMap, name, number, base);
            versionMap.finish();
            return other;
        });
        int defaultVersion = map.integer("defaultVersion", version);
        map.finish();
        return new LaunchTemplate(name, version, base.command(), base.environment(), base.workingDirectory(),
                base.terminationGracePeriod(), versions, defaultVersion);
    }

    /** One version's fields; those it leaves out are {@code base}'s (the template's own) when there is one. */
    private LaunchTemplate templateVersion(YamlMap map, String name, int version, LaunchTemplate base) {
        List<String> command = base != null && !map.has("command") ? base.command() : map.strings("command");
        java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        JsonNode envNode = map.get("environment");
        if (envNode == null && base != null) {
            environment.putAll(base.environment());
        } else if (envNode != null) {
            if (!envNode.isObject()) {
                map.problem("environment", YamlMap.describe(envNode) + " (expected: a mapping of NAME: value)");
            } else {
                envNode.fields().forEachRemaining(entry -> {
                    String value = YamlMap.text(entry.getValue(), map.path("environment") + "." + entry.getKey(),
                            problems, null);
                    if (value != null) {
                        environment.put(entry.getKey(), value);
                    }
                });
            }
        }
        String workingDirectory = map.string("workingDirectory", base == null ? null : base.workingDirectory());
        var grace = map.duration("terminationGracePeriod", base == null
                ? LaunchTemplate.DEFAULT_TERMINATION_GRACE_PERIOD : base.terminationGracePeriod());
        return new LaunchTemplate(name, version, command, environment, workingDirectory, grace);
    }

    private AutoScalingGroup autoScalingGroup(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems,
                "an auto scaling group {name, launchTemplateName, minSize, maxSize, desiredCapacity, zones}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("name", "a name like web-asg");
        String template = map.requiredString("launchTemplateName", "the name of a launch template");
        JsonNode versionNode = map.get("launchTemplateVersion");
        String templateVersion = versionNode == null ? null
                : YamlMap.text(versionNode, map.path("launchTemplateVersion"), problems, null);
        int min = map.requiredInteger("minSize", "a number of instances, 0 or more");
        int max = map.requiredInteger("maxSize", "a number of instances, at least minSize");
        // AWS: without a desired capacity the group starts at its minimum
        int desired = map.integer("desiredCapacity", min);
        if (!map.has("zones")) {
            map.problem("zones", "missing (expected: a list of zone names like [zone-a, zone-b])");
        }
        List<String> zones = map.strings("zones");
        List<String> targetGroupNames = map.strings("targetGroupNames");
        HealthCheckType type = map.choice("healthCheckType", AutoScalingGroup.DEFAULT_HEALTH_CHECK_TYPE,
                ConfigBinder::healthCheckType, HEALTH_CHECK_TYPES);
        var grace = map.duration("healthCheckGracePeriod", AutoScalingGroup.DEFAULT_HEALTH_CHECK_GRACE_PERIOD);
        List<ScalingPolicy> policies = map.list("policies", (element, elementPath, sink) -> policy(element, elementPath));
        var warmup = map.duration("defaultInstanceWarmup", AutoScalingGroup.DEFAULT_INSTANCE_WARMUP);
        var stabilization = map.duration("scaleInStabilization", AutoScalingGroup.DEFAULT_SCALE_IN_STABILIZATION);
        var cooldown = map.duration("defaultCooldown", AutoScalingGroup.DEFAULT_COOLDOWN);
        List<io.fulcrum.model.TerminationPolicy> terminationPolicies = map.list("terminationPolicies",
                (element, elementPath, sink) -> terminationPolicy(element, elementPath));
        boolean protectNew = map.bool("newInstancesProtectedFromScaleIn", false);
        List<io.fulcrum.model.ScheduledAction> scheduled = map.list("scheduledActions",
                (element, elementPath, sink) -> scheduledAction(element, elementPath));
        boolean keepInstances = map.bool("keepInstancesOnExit", false);
        map.finish();
        return new AutoScalingGroup(name, template, min, max, desired, zones, targetGroupNames, type, grace, policies,
                warmup, stabilization, cooldown, terminationPolicies, protectNew, scheduled)
                .withLaunchTemplateVersion(templateVersion).withKeepInstancesOnExit(keepInstances);
    }

    private io.fulcrum.model.ScheduledAction scheduledAction(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a scheduled action {name, recurrence, timeZone, minSize,"
                + " maxSize, desiredCapacity}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("name", "a name like business-hours");
        String recurrence = map.string("recurrence", null);
        String timeZone = map.string("timeZone", null);
        java.time.Instant start = instant(map, "startTime");
        java.time.Instant end = instant(map, "endTime");
        Integer min = map.has("minSize") ? map.integer("minSize", 0) : null;
        Integer max = map.has("maxSize") ? map.integer("maxSize", 0) : null;
        Integer desired = map.has("desiredCapacity") ? map.integer("desiredCapacity", 0) : null;
        map.finish();
        return new io.fulcrum.model.ScheduledAction(name, recurrence, timeZone, start, end, min, max, desired);
    }

    private static java.time.Instant instant(YamlMap map, String key) {
        String text = map.string(key, null);
        if (text == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            map.problem(key, '"' + text + "\" (expected: a UTC time like 2026-03-01T09:00:00Z)");
            return null;
        }
    }

    private ScalingPolicy policy(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a scaling policy {name, type, targetTracking}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("name", "a name like keep-rps");
        if (!map.has("type")) {
            map.problem("type", "missing (expected: " + String.join(", ", POLICY_TYPES) + ")");
        }
        ScalingPolicyType type = map.choice("type", null, ConfigBinder::policyType, POLICY_TYPES);
        TargetTrackingConfiguration tracking = null;
        if (type == ScalingPolicyType.TargetTrackingScaling && !map.has("targetTracking")) {
            map.problem("targetTracking", "missing (expected: {predefinedMetric: ALBRequestCountPerTarget, targetValue: 1000})");
        }
        YamlMap trackingMap = map.map("targetTracking", "{predefinedMetric, targetValue, disableScaleIn}");
        if (trackingMap != null) {
            tracking = targetTracking(trackingMap);
        }
        PolicyAlarm alarm = null;
        boolean alarmed = type == ScalingPolicyType.StepScaling || type == ScalingPolicyType.SimpleScaling;
        if (alarmed && !map.has("alarm")) {
            map.problem("alarm", "missing (expected: {metric: ALBRequestCountPerTarget, comparisonOperator:"
                    + " GreaterThanOrEqualToThreshold, threshold: 600})");
        }
        YamlMap alarmMap = map.map("alarm", "{metric, comparisonOperator, threshold, evaluationPeriods}");
        if (alarmMap != null) {
            alarm = alarm(alarmMap);
        }
        AdjustmentType adjustmentType = map.choice("adjustmentType", alarmed ? AdjustmentType.ChangeInCapacity : null,
                ConfigBinder::adjustmentType, names(AdjustmentType.values()));
        List<StepAdjustment> steps = map.list("stepAdjustments", (element, elementPath, sink) -> step(element, elementPath));
        Integer scalingAdjustment = map.has("scalingAdjustment")
                ? map.integer("scalingAdjustment", 0) : null;
        Integer minMagnitude = map.has("minAdjustmentMagnitude") ? map.integer("minAdjustmentMagnitude", 1) : null;
        java.time.Duration cooldown = map.duration("cooldown", null);
        map.finish();
        return new ScalingPolicy(name, type, tracking, alarm, adjustmentType, steps, scalingAdjustment, minMagnitude,
                cooldown);
    }

    private PolicyAlarm alarm(YamlMap map) {
        PredefinedMetric metric = metric(map, "metric");
        if (!map.has("comparisonOperator")) {
            map.problem("comparisonOperator", "missing (expected: " + String.join(", ", names(ComparisonOperator.values())) + ")");
        }
        ComparisonOperator comparison = map.choice("comparisonOperator", null, ConfigBinder::comparison,
                names(ComparisonOperator.values()));
        double threshold = number(map, "threshold", "a number, in the metric's unit");
        int periods = map.integer("evaluationPeriods", PolicyAlarm.DEFAULT_EVALUATION_PERIODS);
        map.finish();
        return new PolicyAlarm(metric, comparison, threshold, periods);
    }

    private StepAdjustment step(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems,
                "a step {metricIntervalLowerBound, metricIntervalUpperBound, scalingAdjustment}");
        if (map == null) {
            return null;
        }
        Double lower = map.has("metricIntervalLowerBound") ? number(map, "metricIntervalLowerBound", "a number") : null;
        Double upper = map.has("metricIntervalUpperBound") ? number(map, "metricIntervalUpperBound", "a number") : null;
        int adjustment = map.requiredInteger("scalingAdjustment", "a whole number of instances (or percent)");
        map.finish();
        return new StepAdjustment(lower, upper, adjustment);
    }

    private static double number(YamlMap map, String key, String expected) {
        JsonNode value = map.get(key);
        if (value == null) {
            map.problem(key, "missing (expected: " + expected + ")");
            return 0;
        }
        if (!value.isNumber()) {
            map.problem(key, YamlMap.describe(value) + " (expected: " + expected + ")");
            return 0;
        }
        return value.doubleValue();
    }

    private PredefinedMetric metric(YamlMap map, String key) {
        String metricName = map.requiredString(key,
                "ALBRequestCountPerTarget, ASGAverageCPUUtilization or ALBTargetResponseTime");
        if (metricName == null) {
            return null;
        }
        List<String> supported = names(PredefinedMetric.values());
        if (supported.contains(metricName)) {
            return PredefinedMetric.valueOf(metricName);
        }
        if (AWS_METRICS.contains(metricName)) {
            map.problem(key, '"' + metricName + "\" not supported yet (expected: " + String.join(", ", supported) + ")");
        } else {
            String closest = DidYouMean.closest(metricName, AWS_METRICS);
            map.problem(key, '"' + metricName + '"' + (closest != null
                    ? " (did you mean '" + closest + "'?)" : " (expected: " + String.join(", ", supported) + ")"));
        }
        return null;
    }

    private TargetTrackingConfiguration targetTracking(YamlMap map) {
        PredefinedMetric metric = metric(map, "predefinedMetric");
        double targetValue = 0;
        JsonNode value = map.get("targetValue");
        if (value == null) {
            map.problem("targetValue", "missing (expected: a number above 0, like 1000 requests per target per minute)");
        } else if (!value.isNumber()) {
            map.problem("targetValue", YamlMap.describe(value) + " (expected: a number above 0)");
        } else {
            targetValue = value.doubleValue();
        }
        boolean disableScaleIn = map.bool("disableScaleIn", false);
        map.finish();
        return new TargetTrackingConfiguration(metric, targetValue, disableScaleIn);
    }

    private static AdjustmentType adjustmentType(String name) {
        return Arrays.stream(AdjustmentType.values()).filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    private static ComparisonOperator comparison(String name) {
        return Arrays.stream(ComparisonOperator.values()).filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    private io.fulcrum.model.TerminationPolicy terminationPolicy(JsonNode node, String path) {
        List<String> names = names(io.fulcrum.model.TerminationPolicy.values());
        String text = YamlMap.text(node, path, problems, null);
        if (text == null) {
            return null;
        }
        if (!names.contains(text)) {
            String closest = DidYouMean.closest(text, names);
            problems.add(path, '"' + text + '"' + (closest != null ? " (did you mean '" + closest + "'?)"
                    : " (expected: " + String.join(", ", names) + ")"));
            return null;
        }
        return io.fulcrum.model.TerminationPolicy.valueOf(text);
    }

    private static ScalingPolicyType policyType(String name) {
        return POLICY_TYPES.contains(name) ? ScalingPolicyType.valueOf(name) : null;
    }

    private LoadBalancer loadBalancer(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a load balancer {name, listeners}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("name", NAME);
        LoadBalancerAttributes attributes = LoadBalancerAttributes.DEFAULTS;
        YamlMap attributesMap = map.map("attributes", "{idleTimeout, clientHeaderTimeout, accessLog}");
        if (attributesMap != null) {
            var idleTimeout = attributesMap.duration("idleTimeout", LoadBalancerAttributes.DEFAULT_IDLE_TIMEOUT);
            var headerTimeout = attributesMap.duration("clientHeaderTimeout",
                    LoadBalancerAttributes.DEFAULT_CLIENT_HEADER_TIMEOUT);
            AccessLogSettings accessLog = AccessLogSettings.OFF;
            YamlMap logMap = attributesMap.map("accessLog", "{enabled, path, maxFileSize, maxFiles}");
            if (logMap != null) {
                accessLog = new AccessLogSettings(logMap.bool("enabled", false), logMap.string("path", null),
                        byteSize(logMap, "maxFileSize", AccessLogSettings.DEFAULT_MAX_FILE_SIZE),
                        logMap.integer("maxFiles", AccessLogSettings.DEFAULT_MAX_FILES));
                logMap.finish();
            }
            attributes = new LoadBalancerAttributes(idleTimeout, headerTimeout, accessLog);
            attributesMap.finish();
        }
        List<Listener> listeners = map.list("listeners", (element, elementPath, sink) -> listener(element, elementPath));
        map.finish();
        return new LoadBalancer(name, attributes, listeners);
    }

    private Listener listener(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a listener {protocol, port, defaultActions}");
        if (map == null) {
            return null;
        }
        Protocol protocol = map.choice("protocol", Protocol.HTTP, ConfigBinder::protocol, PROTOCOLS);
        int port = map.requiredInteger("port", PORT);
        String bindAddress = map.string("bindAddress", Listener.DEFAULT_BIND_ADDRESS);
        List<Rule> rules = map.list("rules", (element, elementPath, sink) -> rule(element, elementPath));
        List<Action> defaultActions = map.list("defaultActions", (element, elementPath, sink) -> action(element, elementPath));
        int maxConnections = map.integer("maxConnections", Listener.DEFAULT_MAX_CONNECTIONS);
        // null: the protocol's default (TCP and TLS: 350 s); the validator refuses it on HTTP listeners
        var idleTimeout = map.duration("idleTimeout", null);
        String sslPolicy = map.string("sslPolicy", null);
        List<ListenerCertificate> certificates = map.list("certificates",
                (element, elementPath, sink) -> certificate(element, elementPath));
        map.finish();
        return new Listener(protocol, port, bindAddress, rules, defaultActions, maxConnections, idleTimeout, sslPolicy,
                certificates);
    }

    private ListenerCertificate certificate(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a certificate {certificateFile, keyFile}");
        if (map == null) {
            return null;
        }
        String certificateFile = map.requiredString("certificateFile", "a PEM certificate chain file like certs/example.crt");
        String keyFile = map.requiredString("keyFile", "a PEM private key file like certs/example.key");
        map.finish();
        return certificateFile == null || keyFile == null ? null : new ListenerCertificate(certificateFile, keyFile);
    }

    private Rule rule(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a rule {priority, conditions, actions}");
        if (map == null) {
            return null;
        }
        int priority = map.requiredInteger("priority", "a priority " + Rule.MIN_PRIORITY + "-" + Rule.MAX_PRIORITY);
        List<Condition> conditions = map.list("conditions", (element, elementPath, sink) -> condition(element, elementPath));
        List<Action> actions = map.list("actions", (element, elementPath, sink) -> action(element, elementPath));
        map.finish();
        return new Rule(priority, conditions, actions);
    }

    private Condition condition(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a condition {field, values}");
        if (map == null) {
            return null;
        }
        ConditionField field = map.choice("field", null, ConditionField::fromConfigName, FIELDS);
        if (field == null) {
            if (!map.has("field")) {
                map.problem("field", "missing (expected: " + String.join(", ", FIELDS) + ")");
            }
            // the other keys depend on the field: without one they cannot be judged
            map.allow("values");
            map.allow("httpHeaderName");
            map.allow("queryStringValues");
            map.finish();
            return null;
        }
        String headerName = null;
        List<String> values = List.of();
        List<Condition.KeyValue> pairs = List.of();
        if (field == ConditionField.HTTP_HEADER) {
            headerName = map.requiredString("httpHeaderName", "a header name like X-Canary");
        } else if (map.has("httpHeaderName")) {
            map.allow("httpHeaderName");
            map.problem("httpHeaderName", "only used with field http-header, not " + field.configName());
        }
        if (field == ConditionField.QUERY_STRING) {
            if (!map.has("queryStringValues")) {
                map.problem("queryStringValues", "missing (expected: a list of {key, value})");
            }
            pairs = map.list("queryStringValues", (element, elementPath, sink) -> keyValue(element, elementPath));
            if (map.has("values")) {
                map.allow("values");
                map.problem("values", "not used by query-string (expected: queryStringValues: [{key: k, value: v}])");
            }
        } else {
            if (!map.has("values")) {
                map.problem("values", "missing (expected: a list of values)");
            }
            values = map.strings("values");
            if (map.has("queryStringValues")) {
                map.allow("queryStringValues");
                map.problem("queryStringValues", "only used with field query-string, not " + field.configName());
            }
        }
        map.finish();
        return new Condition(field, values, headerName, pairs);
    }

    private Condition.KeyValue keyValue(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "{key, value}");
        if (map == null) {
            return null;
        }
        String key = map.string("key", null);
        String value = map.requiredString("value", "a value; * matches any");
        map.finish();
        return new Condition.KeyValue(key, value);
    }

    private Action action(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "an action {type, ...}");
        if (map == null) {
            return null;
        }
        String type = map.requiredString("type", "forward, redirect or fixed-response");
        int index = type == null ? -1 : ACTION_TYPES.indexOf(type);
        if (type != null && index < 0) {
            map.problem("type", '"' + type + '"' + (type.startsWith("authenticate-")
                    ? " is not supported yet (expected: forward, redirect or fixed-response)"
                    : DidYouMean.hint(type, ACTION_TYPES)));
        }
        // the config keys of the other types are named as misplaced, not unknown
        for (int i = 0; i < ACTION_CONFIGS.size(); i++) {
            String key = ACTION_CONFIGS.get(i);
            if (i != index && map.has(key)) {
                map.allow(key);
                if (index >= 0) {
                    map.problem(key, "only used with type " + ACTION_TYPES.get(i) + ", not " + type);
                }
            }
        }
        if (index != 0 && map.has("targetGroupName")) {
            map.allow("targetGroupName");
            if (index > 0) {
                map.problem("targetGroupName", "only used with type forward, not " + type);
            }
        }
        Action action = switch (index) {
            case 0 -> forward(map);
            case 1 -> redirect(map);
            case 2 -> fixedResponse(map);
            default -> null;
        };
        map.finish();
        return action;
    }

    private ForwardAction forward(YamlMap map) {
        boolean shorthand = map.has("targetGroupName");
        boolean full = map.has("forwardConfig");
        if (shorthand && full) {
            map.allow("targetGroupName");
            map.allow("forwardConfig");
            problems.add(map.path(), "both targetGroupName and forwardConfig (expected: one of them)");
            return null;
        }
        if (!shorthand && !full) {
            map.problem("targetGroupName", "missing (expected: targetGroupName, or forwardConfig with targetGroups)");
            return null;
        }
        if (shorthand) {
            String name = map.requiredString("targetGroupName", NAME);
            return name == null ? null : ForwardAction.to(name);
        }
        YamlMap config = map.map("forwardConfig", "{targetGroups, stickiness}");
        if (config == null) {
            return null;
        }
        if (!config.has("targetGroups")) {
            config.problem("targetGroups", "missing (expected: a list of {targetGroupName, weight})");
        }
        List<ForwardAction.TargetGroupWeight> groups = config.list("targetGroups",
                (element, elementPath, sink) -> targetGroupWeight(element, elementPath));
        ForwardAction.GroupStickiness stickiness = ForwardAction.GroupStickiness.OFF;
        YamlMap stickinessMap = config.map("stickiness", "{enabled, duration}");
        if (stickinessMap != null) {
            stickiness = new ForwardAction.GroupStickiness(
                    stickinessMap.bool("enabled", ForwardAction.GroupStickiness.OFF.enabled()),
                    stickinessMap.duration("duration", ForwardAction.GroupStickiness.OFF.duration()));
            stickinessMap.finish();
        }
        config.finish();
        return new ForwardAction(groups, stickiness);
    }

    private ForwardAction.TargetGroupWeight targetGroupWeight(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "{targetGroupName, weight}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("targetGroupName", NAME);
        int weight = map.integer("weight", Target.DEFAULT_WEIGHT);
        map.finish();
        return new ForwardAction.TargetGroupWeight(name, weight);
    }

    private RedirectAction redirect(YamlMap map) {
        YamlMap config = map.map("redirectConfig", "{protocol, host, port, path, query, statusCode}");
        if (config == null) {
            if (!map.has("redirectConfig")) {
                map.problem("redirectConfig", "missing (expected: {protocol, host, port, path, query, statusCode})");
            }
            return null;
        }
        String protocol = config.string("protocol", null);
        String host = config.string("host", null);
        String port = config.string("port", null);
        String path = config.string("path", null);
        String query = config.string("query", null);
        int status = 0;
        JsonNode statusNode = config.get("statusCode");
        if (statusNode == null) {
            config.problem("statusCode", "missing (expected: HTTP_301 or HTTP_302)");
        } else {
            String text = statusNode.asText();
            String digits = text.startsWith("HTTP_") ? text.substring("HTTP_".length()) : text;
            if (statusNode.isValueNode() && !statusNode.isBoolean() && digits.matches("\\d{3}")) {
                status = Integer.parseInt(digits);
            } else {
                config.problem("statusCode", YamlMap.describe(statusNode) + " (expected: HTTP_301 or HTTP_302)");
            }
        }
        config.finish();
        return new RedirectAction(protocol, host, port, path, query, status);
    }

    private FixedResponseAction fixedResponse(YamlMap map) {
        YamlMap config = map.map("fixedResponseConfig", "{statusCode, contentType, messageBody}");
        if (config == null) {
            if (!map.has("fixedResponseConfig")) {
                map.problem("fixedResponseConfig", "missing (expected: {statusCode, contentType, messageBody})");
            }
            return null;
        }
        int status = config.requiredInteger("statusCode", "an HTTP status 200-599");
        String contentType = config.string("contentType", FixedResponseAction.DEFAULT_CONTENT_TYPE);
        String body = config.string("messageBody", "");
        config.finish();
        return new FixedResponseAction(status, contentType, body);
    }

    private TargetGroup targetGroup(JsonNode node, String path) {
        YamlMap map = YamlMap.of(node, path, problems, "a target group {name, targets}");
        if (map == null) {
            return null;
        }
        String name = map.requiredString("name", NAME);
        Protocol protocol = map.choice("protocol", Protocol.HTTP, ConfigBinder::protocol, PROTOCOLS);
        int port = map.integer("port", 0);
        TargetType targetType = map.choice("targetType", TargetType.IP, ConfigBinder::targetType, TARGET_TYPES);
        ProtocolVersion protocolVersion = map.choice("protocolVersion", ProtocolVersion.HTTP1,
                ConfigBinder::protocolVersion, PROTOCOL_VERSIONS);
        List<Target> targets = map.list("targets", (element, elementPath, sink) -> target(element, elementPath, port));
        boolean grpc = protocolVersion == ProtocolVersion.GRPC;
        HealthCheck healthCheck = grpc ? HealthCheck.GRPC_DEFAULTS : HealthCheck.DEFAULTS;
        // as NLB: a TCP, TLS, UDP or TCP_UDP group's targets are checked by TCP connect unless told otherwise
        if (protocol == Protocol.TCP || protocol == Protocol.TLS || protocol.carriesUdp()) {
            healthCheck = new HealthCheck(healthCheck.enabled(), HealthCheckProtocol.TCP, healthCheck.path(),
                    healthCheck.port(), healthCheck.interval(), healthCheck.timeout(), healthCheck.healthyThreshold(),
                    healthCheck.unhealthyThreshold(), healthCheck.matcher(), healthCheck.grpc());
        }
        YamlMap healthCheckMap = map.map("healthCheck", "{protocol, path, interval, timeout, ...}");
        if (healthCheckMap != null) {
            healthCheck = healthCheck(healthCheckMap, healthCheck);
        }
        TargetGroupAttributes attributes = protocol.carriesUdp() ? UDP_ATTRIBUTES : TargetGroupAttributes.DEFAULTS;
        YamlMap attributesMap = map.map("attributes", "{algorithm, deregistrationDelay, ...}");
        if (attributesMap != null) {
            attributes = targetGroupAttributes(attributesMap, attributes);
        }
        map.finish();
        return new TargetGroup(name, protocol, port, targetType, targets, healthCheck, attributes, protocolVersion);
    }

    /** A target as {@code {id, port, weight}} or as the shorthand "host:port" / "[v6]:port" / "host". */
    private Target target(JsonNode node, String path, int groupPort) {
        if (node.isTextual()) {
            return shorthandTarget(node.textValue(), path, groupPort);
        }
        YamlMap map = YamlMap.of(node, path, problems, "\"host:port\" or {id, port, weight}");
        if (map == null) {
            return null;
        }
        String id = map.requiredString("id", "an IP address or a host name");
        int port = map.integer("port", groupPort);
        int weight = map.integer("weight", Target.DEFAULT_WEIGHT);
        map.finish();
        return new Target(id, port, weight);
    }

    private Target shorthandTarget(String text, String path, int groupPort) {
        String id;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                problems.add(path, '"' + text + "\" (expected: \"host:port\" like 127.0.0.1:9001 or [::1]:9001)");
                return null;
            }
            id = text.substring(1, close);
            port = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else {
            int colon = text.indexOf(':');
            // more than one colon and no brackets: an IPv6 address alone, using the group's port
            boolean hostAndPort = colon >= 0 && text.indexOf(':', colon + 1) < 0;
            id = hostAndPort ? text.substring(0, colon) : text;
            port = hostAndPort ? text.substring(colon + 1) : null;
        }
        int portNumber = groupPort;
        if (port != null) {
            if (!port.matches("\\d{1,9}")) {
                problems.add(path, '"' + text + "\" (expected: \"host:port\" like 127.0.0.1:9001 or [::1]:9001)");
                return null;
            }
            portNumber = Integer.parseInt(port);
        }
        return new Target(id, portNumber, Target.DEFAULT_WEIGHT);
    }

    private HealthCheck healthCheck(YamlMap map, HealthCheck d) {
        boolean enabled = map.bool("enabled", d.enabled());
        JsonNode protocolNode = map.get("protocol");
        HealthCheckProtocol protocol;
        if (protocolNode != null && protocolNode.isTextual() && Protocol.UDP.name().equals(protocolNode.textValue())) {
            // NLB has no UDP health check: a datagram that gets no answer proves nothing
            map.problem("protocol", "\"UDP\" (expected: TCP, HTTP or HTTPS: targets of UDP target groups are"
                    + " health-checked over TCP, HTTP or HTTPS, as NLB does, on the traffic port or the check's port)");
            protocol = d.protocol();
        } else {
            protocol = map.choice("protocol", d.protocol(), ConfigBinder::healthCheckProtocol, HEALTH_CHECK_PROTOCOLS);
        }
        String checkPath = map.string("path", d.path());
        int port = d.port();
        JsonNode portNode = map.get("port");
        if (portNode != null) {
            if (portNode.isTextual() && portNode.textValue().equals(TRAFFIC_PORT)) {
                port = HealthCheck.TRAFFIC_PORT;
            } else if (portNode.isIntegralNumber() || (portNode.isTextual() && portNode.textValue().matches("\\d{1,9}"))) {
                port = YamlMap.integer(portNode, map.path("port"), problems, d.port());
            } else {
                map.problem("port", YamlMap.describe(portNode) + " (expected: traffic-port or a port 1-65535)");
            }
        }
        var interval = map.duration("interval", d.interval());
        var timeout = map.duration("timeout", d.timeout());
        int healthy = map.integer("healthyThreshold", d.healthyThreshold());
        int unhealthy = map.integer("unhealthyThreshold", d.unhealthyThreshold());
        StatusMatcher matcher = d.matcher();
        JsonNode matcherNode = map.get("matcher");
        if (matcherNode != null) {
            String text = YamlMap.text(matcherNode, map.path("matcher"), problems, null);
            if (text != null) {
                try {
                    matcher = d.grpc() ? StatusMatcher.parseGrpc(text) : StatusMatcher.parse(text);
                } catch (IllegalArgumentException e) {
                    map.problem("matcher", e.getMessage());
                }
            }
        }
        map.finish();
        return new HealthCheck(enabled, protocol, checkPath, port, interval, timeout, healthy, unhealthy, matcher,
                d.grpc());
    }

    private TargetGroupAttributes targetGroupAttributes(YamlMap map, TargetGroupAttributes d) {
        Algorithm algorithm = map.choice("algorithm", d.algorithm(), Algorithm::fromConfigName, ALGORITHMS);
        var deregistrationDelay = map.duration("deregistrationDelay", d.deregistrationDelay());
        var slowStart = map.duration("slowStart", d.slowStart());
        var targetResponseTimeout = map.duration("targetResponseTimeout", d.targetResponseTimeout());
        var connectTimeout = map.duration("connectTimeout", d.connectTimeout());
        Stickiness stickiness = d.stickiness();
        YamlMap stickinessMap = map.map("stickiness", "{enabled, type, duration}");
        if (stickinessMap != null) {
            stickiness = new Stickiness(stickinessMap.bool("enabled", Stickiness.OFF.enabled()),
                    stickinessMap.string("type", Stickiness.LB_COOKIE),
                    stickinessMap.duration("duration", Stickiness.DEFAULT_DURATION));
            stickinessMap.finish();
        }
        int maxConnectionsPerTarget = map.integer("maxConnectionsPerTarget", d.maxConnectionsPerTarget());
        int maxQueue = map.integer("maxQueue", d.maxQueue());
        var queueTimeout = map.duration("queueTimeout", d.queueTimeout());
        int passiveUnhealthyThreshold = map.integer("passiveUnhealthyThreshold", d.passiveUnhealthyThreshold());
        boolean proxyProtocolV2 = map.bool("proxyProtocolV2", d.proxyProtocolV2());
        boolean verifyTargetCertificate = map.bool("verifyTargetCertificate", d.verifyTargetCertificate());
        map.finish();
        return new TargetGroupAttributes(algorithm, deregistrationDelay, slowStart, targetResponseTimeout,
                connectTimeout, stickiness, maxConnectionsPerTarget, maxQueue, queueTimeout, passiveUnhealthyThreshold,
                proxyProtocolV2, verifyTargetCertificate);
    }

    /** A size in bytes: a whole number, or one with a unit B, KiB, MiB or GiB (like 100MiB). */
    private static long byteSize(YamlMap map, String key, long defaultValue) {
        JsonNode value = map.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        java.util.regex.Matcher m = value.isTextual()
                ? BYTE_SIZE.matcher(value.textValue().trim()) : BYTE_SIZE.matcher("?");
        if (m.matches()) {
            long number = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            int shift = switch (unit) {
                case "KiB" -> 10;
                case "MiB" -> 20;
                case "GiB" -> 30;
                default -> 0;
            };
            if (number <= (Long.MAX_VALUE >> shift)) {
                return number << shift;
            }
        }
        map.problem(key, YamlMap.describe(value) + " (expected: a size in bytes, like 100MiB; units B, KiB, MiB, GiB)");
        return defaultValue;
    }

    private static Protocol protocol(String name) {
        return PROTOCOLS.contains(name) ? Protocol.valueOf(name) : null;
    }

    private static HealthCheckProtocol healthCheckProtocol(String name) {
        return HEALTH_CHECK_PROTOCOLS.contains(name) ? HealthCheckProtocol.valueOf(name) : null;
    }

    private static HealthCheckType healthCheckType(String name) {
        return HEALTH_CHECK_TYPES.contains(name) ? HealthCheckType.valueOf(name) : null;
    }

    private static ProtocolVersion protocolVersion(String name) {
        return PROTOCOL_VERSIONS.contains(name) ? ProtocolVersion.valueOf(name) : null;
    }

    private static TargetType targetType(String name) {
        return TARGET_TYPES.contains(name) ? TargetType.valueOf(name.toUpperCase(Locale.ROOT)) : null;
    }

    private static TargetGroupAttributes withAlgorithm(TargetGroupAttributes d, Algorithm algorithm) {
        return new TargetGroupAttributes(algorithm, d.deregistrationDelay(), d.slowStart(), d.targetResponseTimeout(),
                d.connectTimeout(), d.stickiness(), d.maxConnectionsPerTarget(), d.maxQueue(), d.queueTimeout(),
                d.passiveUnhealthyThreshold(), d.proxyProtocolV2(), d.verifyTargetCertificate());
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
