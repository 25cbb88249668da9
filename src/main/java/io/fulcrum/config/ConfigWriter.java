package io.fulcrum.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fulcrum.model.AccessLogSettings;
import io.fulcrum.model.Action;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.Condition;
import io.fulcrum.model.DurationText;
import io.fulcrum.model.ConditionField;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.HealthCheck;
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.model.Listener;
import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.LoadBalancerAttributes;
import io.fulcrum.model.PolicyAlarm;
import io.fulcrum.model.RedirectAction;
import io.fulcrum.model.Rule;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScheduledAction;
import io.fulcrum.model.StepAdjustment;
import io.fulcrum.model.Stickiness;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.model.TargetGroupAttributes;
import io.fulcrum.model.TargetTrackingConfiguration;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the model back in the config file's own shape, the inverse of {@link ConfigLoader}: what it
 * writes, {@link ConfigLoader#parse(String)} reads back to an equal config. Every field is written,
 * defaults included, so an exported state says exactly what runs.
 */
public final class ConfigWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT_JSON = new ObjectMapper();

    private ConfigWriter() {
    }

    /** The config as YAML, in the config file's shape. */
    public static String toYaml(FulcrumConfig config) {
        return yaml(toTree(config));
    }

    /** The config as indented JSON (a YAML file too), in the config file's shape. */
    public static String toJson(FulcrumConfig config) {
        return json(toTree(config));
    }

    /** The config as one line of JSON, for storage. */
    public static String toCompactJson(FulcrumConfig config) {
        return write(COMPACT_JSON, toTree(config));
    }

    /** Any tree (a config, a resource, a list) as YAML, written as the config file is. */
    public static String yaml(JsonNode tree) {
        return write(YAML, tree);
    }

    /** Any tree as indented JSON. */
    public static String json(JsonNode tree) {
        return write(JSON, tree);
    }

    /** The config as a tree in the config file's shape. */
    public static ObjectNode toTree(FulcrumConfig config) {
        ObjectNode root = NODES.objectNode();
        root.set("loadBalancers", list(config.loadBalancers(), ConfigWriter::loadBalancer));
        root.set("targetGroups", list(config.targetGroups(), ConfigWriter::targetGroup));
        root.set("launchTemplates", list(config.launchTemplates(), ConfigWriter::launchTemplate));
        root.set("autoScalingGroups", list(config.autoScalingGroups(), ConfigWriter::autoScalingGroup));
        return root;
    }

    /** One load balancer, as under {@code loadBalancers}. */
    public static ObjectNode loadBalancer(LoadBalancer lb) {
        ObjectNode node = NODES.objectNode();
        node.put("name", lb.name());
        LoadBalancerAttributes attributes = lb.attributes();
        ObjectNode attributesNode = node.putObject("attributes");
        attributesNode.put("idleTimeout", duration(attributes.idleTimeout()));
        attributesNode.put("clientHeaderTimeout", duration(attributes.clientHeaderTimeout()));
        AccessLogSettings log = attributes.accessLog();
        ObjectNode logNode = attributesNode.putObject("accessLog").put("enabled", log.enabled());
        putIfSet(logNode, "path", log.path());
        logNode.put("maxFileSize", byteSize(log.maxFileSize())).put("maxFiles", log.maxFiles());
        node.set("listeners", list(lb.listeners(), ConfigWriter::listener));
        return node;
    }

    /** One listener, as under a load balancer's {@code listeners}. */
    public static ObjectNode listener(Listener listener) {
        ObjectNode node = NODES.objectNode();
        node.put("protocol", listener.protocol().name());
        node.put("port", listener.port());
        node.put("bindAddress", listener.bindAddress());
        node.put("maxConnections", listener.maxConnections());
        if (listener.idleTimeout() != null) {
            node.put("idleTimeout", duration(listener.idleTimeout()));
        }
        if (listener.sslPolicy() != null) {
            node.put("sslPolicy", listener.sslPolicy());
        }
        if (!listener.certificates().isEmpty()) {
            ArrayNode certificates = node.putArray("certificates");
            for (ListenerCertificate certificate : listener.certificates()) {
                certificates.addObject().put("certificateFile", certificate.certificateFile())
                        .put("keyFile", certificate.keyFile());
            }
        }
        node.set("rules", list(listener.rules(), ConfigWriter::rule));
        node.set("defaultActions", list(listener.defaultActions(), ConfigWriter::action));
        return node;
    }

    /** One rule, as under a listener's {@code rules}. */
    public static ObjectNode rule(Rule rule) {
        ObjectNode node = NODES.objectNode();
        node.put("priority", rule.priority());
        node.set("conditions", list(rule.conditions(), ConfigWriter::condition));
        node.set("actions", list(rule.actions(), ConfigWriter::action));
        return node;
    }

    private static ObjectNode condition(Condition condition) {
        ObjectNode node = NODES.objectNode();
        node.put("field", condition.field().configName());
        if (condition.field() == ConditionField.HTTP_HEADER) {
            node.put("httpHeaderName", condition.httpHeaderName());
        }
        if (condition.field() == ConditionField.QUERY_STRING) {
            ArrayNode pairs = node.putArray("queryStringValues");
            for (Condition.KeyValue pair : condition.queryStringValues()) {
                ObjectNode pairNode = pairs.addObject();
                if (pair.key() != null) {
                    pairNode.put("key", pair.key());
                }
                pairNode.put("value", pair.value());
            }
        } else {
            node.set("values", strings(condition.values()));
        }
        return node;
    }

    /** One action, as under {@code actions} or {@code defaultActions}. */
    public static ObjectNode action(Action action) {
        ObjectNode node = NODES.objectNode();
        if (action instanceof ForwardAction forward) {
            node.put("type", "forward");
            ObjectNode config = node.putObject("forwardConfig");
            ArrayNode groups = config.putArray("targetGroups");
            for (ForwardAction.TargetGroupWeight group : forward.targetGroups()) {
                groups.addObject().put("targetGroupName", group.targetGroupName()).put("weight", group.weight());
            }
            config.putObject("stickiness")
                    .put("enabled", forward.stickiness().enabled())
                    .put("duration", duration(forward.stickiness().duration()));
        } else if (action instanceof RedirectAction redirect) {
            node.put("type", "redirect");
            ObjectNode config = node.putObject("redirectConfig");
            putIfSet(config, "protocol", redirect.protocol());
            putIfSet(config, "host", redirect.host());
            putIfSet(config, "port", redirect.port());
            putIfSet(config, "path", redirect.path());
            putIfSet(config, "query", redirect.query());
            config.put("statusCode", "HTTP_" + redirect.statusCode());
        } else if (action instanceof FixedResponseAction fixed) {
            node.put("type", "fixed-response");
            node.putObject("fixedResponseConfig")
                    .put("statusCode", fixed.statusCode())
                    .put("contentType", fixed.contentType())
                    .put("messageBody", fixed.messageBody());
        } else {
            throw new IllegalArgumentException("unknown action " + action);
        }
        return node;
    }

    /** One target group, as under {@code targetGroups}. */
    public static ObjectNode targetGroup(TargetGroup group) {
        ObjectNode node = NODES.objectNode();
        node.put("name", group.name());
        node.put("protocol", group.protocol().name());
        node.put("port", group.port());
        node.put("targetType", group.targetType().name().toLowerCase(Locale.ROOT));
        node.put("protocolVersion", group.protocolVersion().name());
        node.set("targets", list(group.targets(), ConfigWriter::target));
        node.set("healthCheck", healthCheck(group.healthCheck()));
        node.set("attributes", targetGroupAttributes(group.attributes()));
        return node;
    }

    /** One target as {@code {id, port, weight}}. */
    public static ObjectNode target(Target target) {
        return NODES.objectNode().put("id", target.id()).put("port", target.port()).put("weight", target.weight());
    }

    private static ObjectNode healthCheck(HealthCheck check) {
        ObjectNode node = NODES.objectNode();
        node.put("enabled", check.enabled());
        node.put("protocol", check.protocol().name());
        node.put("path", check.path());
        if (check.port() == HealthCheck.TRAFFIC_PORT) {
            node.put("port", "traffic-port");
        } else {
            node.put("port", check.port());
        }
        node.put("interval", duration(check.interval()));
        node.put("timeout", duration(check.timeout()));
        node.put("healthyThreshold", check.healthyThreshold());
        node.put("unhealthyThreshold", check.unhealthyThreshold());
        node.put("matcher", check.matcher().text());
        return node;
    }

    private static ObjectNode targetGroupAttributes(TargetGroupAttributes attributes) {
        ObjectNode node = NODES.objectNode();
        node.put("algorithm", attributes.algorithm().configName());
        node.put("deregistrationDelay", duration(attributes.deregistrationDelay()));
        node.put("slowStart", duration(attributes.slowStart()));
        node.put("targetResponseTimeout", duration(attributes.targetResponseTimeout()));
        node.put("connectTimeout", duration(attributes.connectTimeout()));
        Stickiness stickiness = attributes.stickiness();
        node.putObject("stickiness")
                .put("enabled", stickiness.enabled())
                .put("type", stickiness.type())
                .put("duration", duration(stickiness.duration()));
        node.put("maxConnectionsPerTarget", attributes.maxConnectionsPerTarget());
        node.put("maxQueue", attributes.maxQueue());
        node.put("queueTimeout", duration(attributes.queueTimeout()));
        node.put("passiveUnhealthyThreshold", attributes.passiveUnhealthyThreshold());
        if (attributes.verifyTargetCertificate()) {
            node.put("verifyTargetCertificate", true);
        }
        if (attributes.proxyProtocolV2()) {
            node.put("proxyProtocolV2", true); // TCP groups only: written when set, as the validator refuses it elsewhere
        }
        return node;
    }

    /** One launch template, as under {@code launchTemplates}, with its other versions in full. */
    public static ObjectNode launchTemplate(LaunchTemplate template) {
        ObjectNode node = NODES.objectNode();
        node.put("name", template.name());
        node.put("version", template.version());
        templateFields(node, template);
        if (!template.versions().isEmpty()) {
            ArrayNode versions = node.putArray("versions");
            for (LaunchTemplate version : template.versions()) {
                templateFields(versions.addObject().put("version", version.version()), version);
            }
        }
        node.put("defaultVersion", template.defaultVersion());
        return node;
    }

    private static void templateFields(ObjectNode node, LaunchTemplate template) {
        node.set("command", strings(template.command()));
        ObjectNode environment = node.putObject("environment");
        for (Map.Entry<String, String> entry : template.environment().entrySet()) {
            environment.put(entry.getKey(), entry.getValue());
        }
        putIfSet(node, "workingDirectory", template.workingDirectory());
        node.put("terminationGracePeriod", duration(template.terminationGracePeriod()));
    }

    /** One auto scaling group, as under {@code autoScalingGroups}. */
    public static ObjectNode autoScalingGroup(AutoScalingGroup group) {
        ObjectNode node = NODES.objectNode();
        node.put("name", group.name());
        node.put("launchTemplateName", group.launchTemplateName());
        putIfSet(node, "launchTemplateVersion", group.launchTemplateVersion());
        node.put("minSize", group.minSize());
        node.put("maxSize", group.maxSize());
        node.put("desiredCapacity", group.desiredCapacity());
        node.set("zones", strings(group.zones()));
        node.set("targetGroupNames", strings(group.targetGroupNames()));
        node.put("healthCheckType", group.healthCheckType().name());
        node.put("healthCheckGracePeriod", duration(group.healthCheckGracePeriod()));
        node.put("defaultInstanceWarmup", duration(group.defaultInstanceWarmup()));
        node.put("scaleInStabilization", duration(group.scaleInStabilization()));
        node.set("policies", list(group.policies(), ConfigWriter::policy));
        node.put("defaultCooldown", duration(group.defaultCooldown()));
        ArrayNode terminationPolicies = node.putArray("terminationPolicies");
        group.terminationPolicies().forEach(policy -> terminationPolicies.add(policy.name()));
        node.put("newInstancesProtectedFromScaleIn", group.newInstancesProtectedFromScaleIn());
        node.set("scheduledActions", list(group.scheduledActions(), ConfigWriter::scheduledAction));
        node.put("keepInstancesOnExit", group.keepInstancesOnExit());
        return node;
    }

    private static ObjectNode policy(ScalingPolicy policy) {
        ObjectNode node = NODES.objectNode();
        node.put("name", policy.name());
        node.put("type", policy.type().name());
        TargetTrackingConfiguration tracking = policy.targetTracking();
        if (tracking != null) {
            node.putObject("targetTracking")
                    .put("predefinedMetric", tracking.predefinedMetric().name())
                    .put("targetValue", tracking.targetValue())
                    .put("disableScaleIn", tracking.disableScaleIn());
        }
        PolicyAlarm alarm = policy.alarm();
        if (alarm != null) {
            node.putObject("alarm")
                    .put("metric", alarm.metric().name())
                    .put("comparisonOperator", alarm.comparisonOperator().name())
                    .put("threshold", alarm.threshold())
                    .put("evaluationPeriods", alarm.evaluationPeriods());
        }
        if (policy.adjustmentType() != null) {
            node.put("adjustmentType", policy.adjustmentType().name());
        }
        if (!policy.stepAdjustments().isEmpty()) {
            ArrayNode steps = node.putArray("stepAdjustments");
            for (StepAdjustment step : policy.stepAdjustments()) {
                ObjectNode stepNode = steps.addObject();
                if (step.metricIntervalLowerBound() != null) {
                    stepNode.put("metricIntervalLowerBound", step.metricIntervalLowerBound());
                }
                if (step.metricIntervalUpperBound() != null) {
                    stepNode.put("metricIntervalUpperBound", step.metricIntervalUpperBound());
                }
                stepNode.put("scalingAdjustment", step.scalingAdjustment());
            }
        }
        if (policy.scalingAdjustment() != null) {
            node.put("scalingAdjustment", policy.scalingAdjustment());
        }
        if (policy.minAdjustmentMagnitude() != null) {
            node.put("minAdjustmentMagnitude", policy.minAdjustmentMagnitude());
        }
        if (policy.cooldown() != null) {
            node.put("cooldown", duration(policy.cooldown()));
        }
        return node;
    }

    private static ObjectNode scheduledAction(ScheduledAction action) {
        ObjectNode node = NODES.objectNode();
        node.put("name", action.name());
        putIfSet(node, "recurrence", action.recurrence());
        putIfSet(node, "timeZone", action.timeZone());
        putIfSet(node, "startTime", action.startTime() == null ? null : action.startTime().toString());
        putIfSet(node, "endTime", action.endTime() == null ? null : action.endTime().toString());
        if (action.minSize() != null) {
            node.put("minSize", action.minSize());
        }
        if (action.maxSize() != null) {
            node.put("maxSize", action.maxSize());
        }
        if (action.desiredCapacity() != null) {
            node.put("desiredCapacity", action.desiredCapacity());
        }
        return node;
    }

    /** A duration as the config writes it, in the largest unit that states it exactly: 90s stays 90s, 120s is 2m. */
    public static String duration(Duration duration) {
        return DurationText.format(duration);
    }

    /** A size in the largest binary unit that states it exactly: 104857600 is 100MiB. */
    static String byteSize(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return bytes + "B";
    }

    private static <T> ArrayNode list(List<T> items, Function<T, ObjectNode> writer) {
        ArrayNode array = NODES.arrayNode();
        for (T item : items) {
            array.add(writer.apply(item));
        }
        return array;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    private static String write(ObjectMapper mapper, JsonNode tree) {
        try {
            return mapper.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always writes
        }
    }
}
