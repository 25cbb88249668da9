package io.fulcrum.model;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The semantic rules of a whole config (ranges, uniqueness, references), applied to bound records so
 * that a config from a file and one built in code are held to the same rules. Paths name the config
 * keys: a forward written as the shorthand {@code targetGroupName} is reported under
 * {@code forwardConfig.targetGroups[0]}.
 */
public final class ConfigValidator {
    /** ALB's load balancer and target group names: 1-32 alphanumerics or hyphens, no hyphen at either end. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");
    private static final String NAME_EXPECTED =
            "1-32 letters, digits or hyphens, not starting or ending with a hyphen";
    private static final Pattern METHOD = Pattern.compile("[A-Z_-]{1,40}");
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final int MAX_PATTERN_CHARS = 128;
    private static final int MIN_WEIGHT = 1;
    private static final int MAX_PORT = 65_535;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

    /**
     * A listener's parsed address and port, to find two listeners that cannot both bind: TCP ports and
     * UDP ports are apart, so a TCP and a UDP listener may share a port (DNS on 53, as NLB allows).
     */
    private record Bound(byte[] address, int port, String path, boolean tcp, boolean udp) {
        boolean sharesTransport(Bound other) {
            return (tcp && other.tcp) || (udp && other.udp);
        }
    }

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> targetGroupNames = new HashSet<>();
    /** The protocol of each target group by name, to check what a listener forwards to. */
    private final Map<String, Protocol> targetGroupProtocols = new HashMap<>();

    private ConfigValidator() {
    }

    /** Every problem of this config, in the order of the tree; empty when it is valid. */
    public static List<ConfigProblem> validate(FulcrumConfig config) {
        ConfigValidator validator = new ConfigValidator();
        validator.config(config);
        return List.copyOf(validator.problems);
    }

    private void config(FulcrumConfig config) {
        if (config == null) {
            problem("(root)", "missing (expected: a config)");
            return;
        }
        // forward actions refer to target groups by name: learn the names first, report in file order
        for (TargetGroup group : config.targetGroups()) {
            if (group != null && group.name() != null) {
                targetGroupNames.add(group.name());
                targetGroupProtocols.putIfAbsent(group.name(), group.protocol());
            }
        }
        Map<String, String> lbPaths = new HashMap<>();
        Map<String, String> accessLogPaths = new HashMap<>();
        List<Bound> bound = new ArrayList<>();
        for (int i = 0; i < config.loadBalancers().size(); i++) {
            String path = "loadBalancers[" + i + "]";
            LoadBalancer lb = config.loadBalancers().get(i);
            if (lb == null) {
                problem(path, "missing (expected: a load balancer)");
                continue;
            }
            name(path + ".name", lb.name(), lbPaths);
            loadBalancerAttributes(path + ".attributes", lb.attributes());
            accessLog(path + ".attributes.accessLog", lb.attributes().accessLog(), accessLogPaths);
            for (int j = 0; j < lb.listeners().size(); j++) {
                listener(path + ".listeners[" + j + "]", lb.listeners().get(j), bound);
            }
        }
        Map<String, String> tgPaths = new HashMap<>();
        for (int i = 0; i < config.targetGroups().size(); i++) {
            String path = "targetGroups[" + i + "]";
            TargetGroup group = config.targetGroups().get(i);
            if (group == null) {
                problem(path, "missing (expected: a target group)");
                continue;
            }
            name(path + ".name", group.name(), tgPaths);
            targetGroup(path, group);
        }
        AutoScalingRules.validate(config, problems);
    }

    private void name(String path, String name, Map<String, String> seen) {
        if (name == null || name.isEmpty()) {
            problem(path, "missing (expected: " + NAME_EXPECTED + ")");
        } else if (!NAME.matcher(name).matches()) {
            problem(path, quote(name) + " (expected: " + NAME_EXPECTED + ")");
        } else {
            String first = seen.putIfAbsent(name, path.substring(0, path.length() - ".name".length()));
            if (first != null) {
                problem(path, quote(name) + " is already the name of " + first + " (expected: a unique name)");
            }
        }
    }

    private void loadBalancerAttributes(String path, LoadBalancerAttributes attributes) {
        positive(path + ".idleTimeout", attributes.idleTimeout());
        positive(path + ".clientHeaderTimeout", attributes.clientHeaderTimeout());
    }

    private void accessLog(String path, AccessLogSettings log, Map<String, String> seen) {
        if (log.maxFileSize() < AccessLogSettings.MIN_MAX_FILE_SIZE) {
            problem(path + ".maxFileSize", log.maxFileSize() + " (expected: at least "
                    + AccessLogSettings.MIN_MAX_FILE_SIZE + " bytes, like 100MiB)");
        }
        if (log.maxFiles() < 1) {
            problem(path + ".maxFiles", log.maxFiles() + " (expected: at least 1)");
        }
        if (!log.enabled()) {
            return;
        }
        if (log.path() == null || log.path().isBlank()) {
            problem(path + ".path", "missing (expected: the log file, like /var/log/fulcrum/access.log, when enabled)");
            return;
        }
        String file;
        try {
            file = java.nio.file.Path.of(log.path()).toAbsolutePath().normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            problem(path + ".path", quote(log.path()) + " (expected: a file path)");
            return;
        }
        String first = seen.putIfAbsent(file, path);
        if (first != null) {
            problem(path + ".path", quote(log.path()) + " is already the access log of " + first
                    + " (expected: one file per load balancer)");
        }
    }

    private void listener(String path, Listener listener, List<Bound> bound) {
        if (listener == null) {
            problem(path, "missing (expected: a listener)");
            return;
        }
        if (listener.protocol() == null) {
            problem(path + ".protocol", "missing (expected: HTTP, HTTPS, TCP, TLS or UDP)");
        }
        tlsSettings(path, listener);
        boolean portOk = port(path + ".port", listener.port());
        byte[] address = IpLiterals.parse(listener.bindAddress());
        if (address == null) {
            problem(path + ".bindAddress", quote(listener.bindAddress())
                    + " (expected: an IP address like 127.0.0.1, 0.0.0.0 or ::)");
        } else if (portOk) {
            Protocol protocol = listener.protocol();
            Bound self = new Bound(address, listener.port(), path, protocol == null || protocol != Protocol.UDP,
                    protocol != null && protocol.carriesUdp());
            // the kernel refuses a second bind on the same port when either address is a wildcard
            for (Bound other : bound) {
                if (other.port() == listener.port() && other.sharesTransport(self) && (Arrays.equals(other.address(), address)
                        || IpLiterals.isWildcard(other.address()) || IpLiterals.isWildcard(address))) {
                    problem(path + ".port", listener.bindAddress() + " port " + listener.port()
                            + " is already used by " + other.path() + " (expected: a unique address and port)");
                    break;
                }
            }
            bound.add(self);
        }
        if (listener.maxConnections() < 1) {
            problem(path + ".maxConnections", listener.maxConnections() + " (expected: at least 1)");
        }
        Map<Integer, String> priorities = new HashMap<>();
        for (int i = 0; i < listener.rules().size(); i++) {
            rule(path + ".rules[" + i + "]", listener.rules().get(i), priorities);
        }
        actions(path + ".defaultActions", listener.defaultActions());
        listenerProtocol(path, listener);
    }

    /**
     * What depends on the listener's protocol: TCP and TLS listeners (NLB's) forward to one TCP, TLS or
     * TCP_UDP group, UDP listeners to one UDP or TCP_UDP group, HTTP ones to none of these.
     */
    private void listenerProtocol(String path, Listener listener) {
        if (listener.protocol() == Protocol.TCP_UDP) {
            problem(path + ".protocol", "TCP_UDP is not supported yet (expected: HTTP, HTTPS, TCP, TLS or UDP;"
                    + " a TCP and a UDP listener on the same port, both forwarding to a TCP_UDP target group, do"
                    + " the same)");
            return;
        }
        if (listener.protocol() == Protocol.TCP || listener.protocol() == Protocol.TLS
                || listener.protocol() == Protocol.UDP) {
            String kind = listener.protocol().name();
            between(path + ".idleTimeout", listener.idleTimeout(), Listener.MIN_TCP_IDLE_TIMEOUT,
                    Listener.MAX_TCP_IDLE_TIMEOUT);
            if (!listener.rules().isEmpty()) {
                problem(path + ".rules", listener.rules().size() + " rules (expected: none: a " + kind + " listener"
                        + " sends every connection to its defaultActions, as NLB)");
            }
            for (int i = 0; i < listener.defaultActions().size(); i++) {
                String actionPath = path + ".defaultActions[" + i + "]";
                Action action = listener.defaultActions().get(i);
                if (action instanceof ForwardAction forward) {
                    tcpForward(actionPath + ".forwardConfig", forward, kind);
                } else if (action != null) {
                    problem(actionPath + ".type", (action instanceof RedirectAction ? "redirect" : "fixed-response")
                            + " (expected: forward: a " + kind + " listener cannot answer by itself)");
                }
            }
            return;
        }
        if (listener.idleTimeout() != null) {
            problem(path + ".idleTimeout", DurationText.format(listener.idleTimeout()) + " is only used by TCP"
                    + ", TLS and UDP listeners (expected: none; HTTP listeners use the load balancer's"
                    + " attributes.idleTimeout)");
        }
        if (listener.protocol() != Protocol.HTTP && listener.protocol() != Protocol.HTTPS) {
            return;
        }
        for (int i = 0; i < listener.rules().size(); i++) {
            Rule rule = listener.rules().get(i);
            if (rule != null) {
                noTcpGroups(path + ".rules[" + i + "].actions", rule.actions());
            }
        }
        noTcpGroups(path + ".defaultActions", listener.defaultActions());
    }

    /** @param kind TCP, TLS or UDP, the listener's protocol, for the messages */
    private void tcpForward(String path, ForwardAction forward, String kind) {
        boolean udp = kind.equals(Protocol.UDP.name());
        List<ForwardAction.TargetGroupWeight> groups = forward.targetGroups();
        if (groups.size() > 1) {
            problem(path + ".targetGroups", groups.size() + " target groups (expected: one on a " + kind + " listener)");
        }
        if (forward.stickiness().enabled()) {
            problem(path + ".stickiness.enabled", "true (expected: false: a " + kind + " listener has no cookies)");
        }
        for (int i = 0; i < groups.size(); i++) {
            ForwardAction.TargetGroupWeight group = groups.get(i);
            Protocol protocol = group == null ? null : targetGroupProtocols.get(group.targetGroupName());
            boolean fits = protocol == null || protocol == Protocol.TCP_UDP
                    || (udp ? protocol == Protocol.UDP : flowProtocol(protocol));
            if (!fits) {
                problem(path + ".targetGroups[" + i + "].targetGroupName", quote(group.targetGroupName())
                        + " is a " + protocol + " target group (expected: a " + (udp ? "UDP" : "TCP, TLS")
                        + " or TCP_UDP target group on a " + kind + " listener)");
            }
        }
    }

    private void noTcpGroups(String path, List<Action> actions) {
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i) instanceof ForwardAction forward) {
                for (int j = 0; j < forward.targetGroups().size(); j++) {
                    ForwardAction.TargetGroupWeight group = forward.targetGroups().get(j);
                    Protocol protocol = group == null ? null : targetGroupProtocols.get(group.targetGroupName());
                    if (protocol != null && (flowProtocol(protocol) || protocol.carriesUdp())) {
                        problem(path + "[" + i + "].forwardConfig.targetGroups[" + j + "].targetGroupName",
                                quote(group.targetGroupName()) + " is a " + protocol + " target group (expected: an"
                                        + " HTTP or HTTPS target group; TCP, TLS, UDP and TCP_UDP groups are for TCP,"
                                        + " TLS and UDP listeners)");
                    }
                }
            }
        }
    }

    /** The shape of the TLS settings; the policy's name and the files are checked by io.fulcrum.tls. */
    private void tlsSettings(String path, Listener listener) {
        if (listener.protocol() == Protocol.HTTPS || listener.protocol() == Protocol.TLS) {
            if (listener.certificates().isEmpty()) {
                problem(path + ".certificates", "empty (expected: at least one {certificateFile, keyFile}: "
                        + (listener.protocol() == Protocol.TLS ? "a TLS" : "an HTTPS") + " listener needs a default certificate)");
            }
            if (listener.sslPolicy() == null || listener.sslPolicy().isBlank()) {
                problem(path + ".sslPolicy", "empty (expected: a security policy name like " + Listener.DEFAULT_SSL_POLICY + ")");
            }
            return;
        }
        if (!listener.certificates().isEmpty()) {
            int count = listener.certificates().size();
            problem(path + ".certificates", count + (count == 1 ? " certificate" : " certificates")
                    + " (expected: none: only HTTPS and TLS listeners have certificates)");
        }
        if (listener.sslPolicy() != null) {
            problem(path + ".sslPolicy", quote(listener.sslPolicy())
                    + " (expected: none: only HTTPS and TLS listeners have a security policy)");
        }
    }

    private void rule(String path, Rule rule, Map<Integer, String> priorities) {
        if (rule == null) {
            problem(path, "missing (expected: a rule)");
            return;
        }
        if (rule.priority() < Rule.MIN_PRIORITY || rule.priority() > Rule.MAX_PRIORITY) {
            problem(path + ".priority", rule.priority() + " (expected: " + Rule.MIN_PRIORITY + "-" + Rule.MAX_PRIORITY + ")");
        } else {
            String first = priorities.putIfAbsent(rule.priority(), path);
            if (first != null) {
                problem(path + ".priority", rule.priority() + " is already the priority of " + first
                        + " (expected: a unique priority per listener)");
            }
        }
        if (rule.conditions().isEmpty()) {
            problem(path + ".conditions",
                    "empty (expected: at least one condition; a catch-all belongs in the listener's defaultActions)");
        }
        Map<ConditionField, Integer> singles = new EnumMap<>(ConditionField.class);
        for (int i = 0; i < rule.conditions().size(); i++) {
            String conditionPath = path + ".conditions[" + i + "]";
            Condition condition = rule.conditions().get(i);
            if (condition == null) {
                problem(conditionPath, "missing (expected: a condition)");
                continue;
            }
            ConditionField field = condition.field();
            if (field != null && field != ConditionField.HTTP_HEADER && field != ConditionField.QUERY_STRING) {
                Integer first = singles.putIfAbsent(field, i);
                if (first != null) {
                    problem(conditionPath + ".field", "a second " + field.configName() + " condition (expected: one per rule;"
                            + " add the values to conditions[" + first + "] instead)");
                }
            }
            condition(conditionPath, condition);
        }
        actions(path + ".actions", rule.actions());
    }

    private void condition(String path, Condition condition) {
        ConditionField field = condition.field();
        if (field == null) {
            problem(path + ".field", "missing (expected: host-header, path-pattern, http-header, "
                    + "http-request-method, query-string or source-ip)");
            return;
        }
        if (field != ConditionField.HTTP_HEADER && condition.httpHeaderName() != null) {
            problem(path + ".httpHeaderName", "only used with field http-header, not " + field.configName());
        }
        if (field == ConditionField.QUERY_STRING) {
            if (!condition.values().isEmpty()) {
                problem(path + ".values", "not used by query-string (expected: queryStringValues)");
            }
            queryStringValues(path + ".queryStringValues", condition.queryStringValues());
            return;
        }
        if (!condition.queryStringValues().isEmpty()) {
            problem(path + ".queryStringValues", "only used with field query-string, not " + field.configName());
        }
        if (field == ConditionField.HTTP_HEADER) {
            String name = condition.httpHeaderName();
            if (name == null || name.isEmpty()) {
                problem(path + ".httpHeaderName", "missing (expected: a header name like X-Canary)");
            } else if (!HEADER_NAME.matcher(name).matches()) {
                problem(path + ".httpHeaderName", quote(name) + " (expected: a header name of letters, digits and !#$%&'*+-.^_`|~)");
            }
        }
        if (condition.values().isEmpty()) {
            problem(path + ".values", "empty (expected: at least one value)");
        }
        for (int i = 0; i < condition.values().size(); i++) {
            conditionValue(path + ".values[" + i + "]", field, condition.values().get(i));
        }
    }

    private void conditionValue(String path, ConditionField field, String value) {
        if (value == null || value.isEmpty()) {
            problem(path, "empty (expected: a value)");
            return;
        }
        switch (field) {
            case PATH_PATTERN -> {
                if (value.charAt(0) != '/' && value.charAt(0) != '*') {
                    problem(path, quote(value) + " (expected: a pattern starting with / or *)");
                }
                maxChars(path, value);
            }
            case HOST_HEADER, HTTP_HEADER -> maxChars(path, value);
            case HTTP_REQUEST_METHOD -> {
                if (!METHOD.matcher(value).matches()) {
                    problem(path, quote(value) + " (expected: a method name of A-Z, - and _, like GET)");
                }
            }
            case SOURCE_IP -> {
                if (!IpLiterals.isCidr(value)) {
                    problem(path, quote(value) + " (expected: an IPv4 or IPv6 CIDR like 10.0.0.0/8 or 2001:db8::/32;"
                            + " one address is 192.0.2.1/32)");
                }
            }
            default -> {
                // query-string values are checked apart
            }
        }
    }

    private void maxChars(String path, String value) {
        if (value.length() > MAX_PATTERN_CHARS) {
            problem(path, value.length() + " characters (expected: at most " + MAX_PATTERN_CHARS + ")");
        }
    }

    private void queryStringValues(String path, List<Condition.KeyValue> pairs) {
        if (pairs.isEmpty()) {
            problem(path, "empty (expected: at least one {key, value})");
        }
        for (int i = 0; i < pairs.size(); i++) {
            String pairPath = path + "[" + i + "]";
            Condition.KeyValue pair = pairs.get(i);
            if (pair == null) {
                problem(pairPath, "missing (expected: {key, value})");
                continue;
            }
            if (pair.key() != null && pair.key().isEmpty()) {
                problem(pairPath + ".key", "empty (expected: a key, or no key to match any key)");
            }
            if (pair.value() == null || pair.value().isEmpty()) {
                problem(pairPath + ".value", "missing (expected: a value; * matches any)");
            } else {
                maxChars(pairPath + ".value", pair.value());
            }
        }
    }

    private void actions(String path, List<Action> actions) {
        if (actions.size() != 1) {
            problem(path, (actions.isEmpty() ? "empty" : actions.size() + " actions")
                    + " (expected: exactly one forward, redirect or fixed-response)");
        }
        for (int i = 0; i < actions.size(); i++) {
            String actionPath = path + "[" + i + "]";
            Action action = actions.get(i);
            if (action == null) {
                problem(actionPath, "missing (expected: forward, redirect or fixed-response)");
            } else if (action instanceof ForwardAction forward) {
                forward(actionPath + ".forwardConfig", forward);
            } else if (action instanceof RedirectAction redirect) {
                redirect(actionPath + ".redirectConfig", redirect);
            } else if (action instanceof FixedResponseAction fixed) {
                fixedResponse(actionPath + ".fixedResponseConfig", fixed);
            }
        }
    }

    private void forward(String path, ForwardAction forward) {
        List<ForwardAction.TargetGroupWeight> groups = forward.targetGroups();
        if (groups.isEmpty() || groups.size() > ForwardAction.MAX_TARGET_GROUPS) {
            problem(path + ".targetGroups", (groups.isEmpty() ? "empty" : groups.size() + " target groups")
                    + " (expected: 1-" + ForwardAction.MAX_TARGET_GROUPS + " target groups)");
        }
        boolean anyWeight = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String groupPath = path + ".targetGroups[" + i + "]";
            ForwardAction.TargetGroupWeight group = groups.get(i);
            if (group == null) {
                problem(groupPath, "missing (expected: {targetGroupName, weight})");
                continue;
            }
            String name = group.targetGroupName();
            if (name == null || name.isEmpty()) {
                problem(groupPath + ".targetGroupName", "missing (expected: the name of a target group)");
            } else if (!targetGroupNames.contains(name)) {
                problem(groupPath + ".targetGroupName", quote(name) + " is not a target group (expected one of: "
                        + (targetGroupNames.isEmpty() ? "none defined" : String.join(", ", new TreeSet<>(targetGroupNames)))
                        + ")");
            } else if (!seen.add(name)) {
                problem(groupPath + ".targetGroupName", quote(name) + " appears twice (expected: each group once)");
            }
            if (group.weight() < 0 || group.weight() > ForwardAction.MAX_WEIGHT) {
                problem(groupPath + ".weight", group.weight() + " (expected: 0-" + ForwardAction.MAX_WEIGHT + ")");
            }
            anyWeight |= group.weight() > 0;
        }
        if (!groups.isEmpty() && !anyWeight) {
            problem(path + ".targetGroups", "every weight is 0 (expected: at least one weight above 0)");
        }
        ForwardAction.GroupStickiness stickiness = forward.stickiness();
        between(path + ".stickiness.duration", stickiness.duration(), Stickiness.MIN_DURATION, Stickiness.MAX_DURATION);
    }

    private void redirect(String path, RedirectAction redirect) {
        String protocol = redirect.protocol();
        if (!protocol.equals("HTTP") && !protocol.equals("HTTPS") && !protocol.equals("#{protocol}")) {
            problem(path + ".protocol", quote(protocol) + " (expected: HTTP, HTTPS or #{protocol})");
        }
        String port = redirect.port();
        if (!port.equals("#{port}")) {
            int number = port.length() <= 5 && !port.isEmpty() && port.chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(port) : -1;
            if (number < 1 || number > MAX_PORT) {
                problem(path + ".port", quote(port) + " (expected: a port 1-65535 or #{port})");
            }
        }
        if (redirect.host().isEmpty()) {
            problem(path + ".host", "empty (expected: a host name or #{host})");
        }
        if (!redirect.path().startsWith("/")) {
            problem(path + ".path", quote(redirect.path()) + " (expected: a path starting with /)");
        }
        if (redirect.statusCode() != 301 && redirect.statusCode() != 302) {
            problem(path + ".statusCode", redirect.statusCode() + " (expected: HTTP_301 or HTTP_302)");
        }
        // as ALB: a redirect that keeps protocol, host, port and path would send the client back here forever
        if (protocol.equals("#{protocol}") && redirect.host().equals("#{host}") && port.equals("#{port}")
                && redirect.path().equals("/#{path}")) {
            problem(path, "redirects to the same URL (expected: a change of protocol, host, port or path)");
        }
    }

    /** TCP and TLS target groups carry byte streams for TCP and TLS listeners, not HTTP requests. */
    private static boolean flowProtocol(Protocol protocol) {
        return protocol == Protocol.TCP || protocol == Protocol.TLS;
    }

    private void fixedResponse(String path, FixedResponseAction fixed) {
        if (fixed.statusCode() < 200 || fixed.statusCode() > 599) {
            problem(path + ".statusCode", fixed.statusCode() + " (expected: 200-599)");
        }
        if (fixed.contentType().isBlank() || fixed.contentType().indexOf('\r') >= 0 || fixed.contentType().indexOf('\n') >= 0) {
            problem(path + ".contentType", quote(fixed.contentType()) + " (expected: a media type like text/plain)");
        }
        int bytes = fixed.messageBody().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > FixedResponseAction.MAX_BODY_BYTES) {
            problem(path + ".messageBody", bytes + " bytes (expected: at most " + FixedResponseAction.MAX_BODY_BYTES + ")");
        }
    }

    private void targetGroup(String path, TargetGroup group) {
        if (group.protocol() == null) {
            problem(path + ".protocol", "missing (expected: HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP)");
        } else if (group.protocol() == Protocol.TLS && group.protocolVersion() != null
                && group.protocolVersion() != ProtocolVersion.HTTP1) {
            problem(path + ".protocolVersion", group.protocolVersion() + " (expected: none: a TLS target group"
                    + " carries bytes, not HTTP; protocolVersion is for HTTP and HTTPS groups)");
        }
        if (group.port() != 0) {
            port(path + ".port", group.port());
        }
        if (group.targetType() == null) {
            problem(path + ".targetType", "missing (expected: ip or instance)");
        } else if (group.targetType() == TargetType.LAMBDA) {
            problem(path + ".targetType", group.targetType().name().toLowerCase(Locale.ROOT)
                    + " is not supported yet (expected: ip or instance)");
        } else if (group.targetType() == TargetType.INSTANCE && !group.targets().isEmpty()) {
            problem(path + ".targets", group.targets().size() + " static targets (expected: none with targetType"
                    + " instance: auto scaling groups register their instances)");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < group.targets().size(); i++) {
            target(path + ".targets[" + i + "]", group.targets().get(i), seen, i);
        }
        healthCheck(path + ".healthCheck", group.healthCheck());
        targetGroupAttributes(path + ".attributes", group.attributes());
        protocolAttributes(path + ".attributes", group);
    }

    /** Attributes that only one protocol's target groups can honour. */
    private void protocolAttributes(String path, TargetGroup group) {
        TargetGroupAttributes attributes = group.attributes();
        if (group.protocol() == Protocol.UDP && attributes.proxyProtocolV2()) {
            problem(path + ".proxyProtocolV2", "true is for TCP, TLS and TCP_UDP target groups (expected: false; a"
                    + " datagram has no header to carry the client's address, as on NLB)");
        }
        if (group.protocol() != null && (flowProtocol(group.protocol()) || group.protocol().carriesUdp())) {
            if (attributes.stickiness() != null && attributes.stickiness().enabled()) {
                problem(path + ".stickiness.enabled", "true (expected: false: lb_cookie stickiness needs HTTP;"
                        + " use algorithm flow_hash to keep a flow on one target)");
            }
        } else if (group.protocol() == Protocol.HTTP || group.protocol() == Protocol.HTTPS) {
            if (attributes.algorithm() == Algorithm.FLOW_HASH) {
                problem(path + ".algorithm", "flow_hash is for TCP, TLS, UDP and TCP_UDP target groups (expected:"
                        + " round_robin, least_outstanding_requests or weighted_random)");
            }
            if (attributes.proxyProtocolV2()) {
                problem(path + ".proxyProtocolV2", "true is for TCP, TLS and TCP_UDP target groups (expected: false;"
                        + " HTTP targets get X-Forwarded-For)");
            }
        }
    }

    private void target(String path, Target target, Map<String, Integer> seen, int index) {
        if (target == null) {
            problem(path, "missing (expected: a target)");
            return;
        }
        String id = target.id();
        if (id == null || id.isEmpty()) {
            problem(path + ".id", "missing (expected: an IP address or a host name)");
        } else if (IpLiterals.parse(id) == null && !HOST_NAME.matcher(id).matches()) {
            problem(path + ".id", quote(id) + " (expected: an IP address or a host name)");
        }
        if (target.port() == 0) {
            problem(path + ".port", "missing (expected: a port 1-65535 on the target or on its group)");
        } else {
            port(path + ".port", target.port());
        }
        if (target.weight() < MIN_WEIGHT || target.weight() > ForwardAction.MAX_WEIGHT) {
            problem(path + ".weight", target.weight() + " (expected: " + MIN_WEIGHT + "-" + ForwardAction.MAX_WEIGHT + ")");
        }
        if (id != null && !id.isEmpty()) {
            Integer first = seen.putIfAbsent(id + " " + target.port(), index);
            if (first != null) {
                problem(path, target.address() + " is already targets[" + first + "] (expected: each target once)");
            }
        }
    }

    private void healthCheck(String path, HealthCheck check) {
        if (check.protocol() == null) {
            problem(path + ".protocol", "missing (expected: HTTP, HTTPS or TCP)");
        }
        if (check.protocol() == HealthCheckProtocol.HTTP || check.protocol() == HealthCheckProtocol.HTTPS) {
            if (check.path() == null || !check.path().startsWith("/")) {
                problem(path + ".path", quote(check.path()) + " (expected: a path starting with /)");
            } else if (check.path().length() > 1024) {
                problem(path + ".path", check.path().length() + " characters (expected: at most 1024)");
            }
        }
        if (check.port() != HealthCheck.TRAFFIC_PORT) {
            port(path + ".port", check.port());
        }
        boolean intervalOk = between(path + ".interval", check.interval(), HealthCheck.MIN_INTERVAL, HealthCheck.MAX_INTERVAL);
        if (check.timeout() == null) {
            problem(path + ".timeout", "missing (expected: at least " + DurationText.format(MIN_TIMEOUT) + ")");
        } else if (check.timeout().compareTo(MIN_TIMEOUT) < 0) {
            problem(path + ".timeout", DurationText.format(check.timeout()) + " (expected: at least "
                    + DurationText.format(MIN_TIMEOUT) + ")");
        } else if (intervalOk && check.timeout().compareTo(check.interval()) >= 0) {
            problem(path + ".timeout", DurationText.format(check.timeout()) + " (expected: less than the interval "
                    + DurationText.format(check.interval()) + ")");
        }
        threshold(path + ".healthyThreshold", check.healthyThreshold());
        threshold(path + ".unhealthyThreshold", check.unhealthyThreshold());
        if (check.matcher() == null) {
            problem(path + ".matcher", "missing (expected: a code like 200, a range like 200-299, or a list like 200,302)");
        } else {
            try {
                if (check.grpc()) {
                    StatusMatcher.parseGrpc(check.matcher().text());
                } else {
                    StatusMatcher.parse(check.matcher().text());
                }
            } catch (IllegalArgumentException e) {
                problem(path + ".matcher", e.getMessage());
            }
        }
    }

    private void threshold(String path, int value) {
        if (value < HealthCheck.MIN_THRESHOLD || value > HealthCheck.MAX_THRESHOLD) {
            problem(path, value + " (expected: " + HealthCheck.MIN_THRESHOLD + "-" + HealthCheck.MAX_THRESHOLD + ")");
        }
    }

    private void targetGroupAttributes(String path, TargetGroupAttributes attributes) {
        if (attributes.algorithm() == null) {
            problem(path + ".algorithm", "missing (expected: round_robin, least_outstanding_requests, weighted_random"
                    + " or flow_hash)");
        }
        between(path + ".deregistrationDelay", attributes.deregistrationDelay(), Duration.ZERO,
                TargetGroupAttributes.MAX_DEREGISTRATION_DELAY);
        Duration slowStart = attributes.slowStart();
        if (slowStart == null || (!slowStart.isZero() && (slowStart.compareTo(TargetGroupAttributes.MIN_SLOW_START) < 0
                || slowStart.compareTo(TargetGroupAttributes.MAX_SLOW_START) > 0))) {
            problem(path + ".slowStart", DurationText.format(slowStart) + " (expected: 0 to turn it off, or "
                    + DurationText.format(TargetGroupAttributes.MIN_SLOW_START) + "-"
                    + DurationText.format(TargetGroupAttributes.MAX_SLOW_START) + ")");
        }
        positive(path + ".targetResponseTimeout", attributes.targetResponseTimeout());
        positive(path + ".connectTimeout", attributes.connectTimeout());
        Stickiness stickiness = attributes.stickiness();
        if (stickiness == null) {
            problem(path + ".stickiness", "missing (expected: {enabled, type, duration})");
        } else {
            if (!Stickiness.LB_COOKIE.equals(stickiness.type())) {
                problem(path + ".stickiness.type", quote(stickiness.type()) + " (expected: " + Stickiness.LB_COOKIE + ")");
            }
            between(path + ".stickiness.duration", stickiness.duration(), Stickiness.MIN_DURATION, Stickiness.MAX_DURATION);
        }
        if (attributes.maxConnectionsPerTarget() < 0) {
            problem(path + ".maxConnectionsPerTarget", attributes.maxConnectionsPerTarget()
                    + " (expected: 0 for no limit, or more)");
        }
        if (attributes.maxQueue() < 0) {
            problem(path + ".maxQueue", attributes.maxQueue() + " (expected: 0 or more)");
        }
        positive(path + ".queueTimeout", attributes.queueTimeout());
        if (attributes.passiveUnhealthyThreshold() < 1) {
            problem(path + ".passiveUnhealthyThreshold", attributes.passiveUnhealthyThreshold() + " (expected: at least 1)");
        }
    }

    private boolean port(String path, int port) {
        if (port < 1 || port > MAX_PORT) {
            problem(path, port + " is not a port 1-" + MAX_PORT);
            return false;
        }
        return true;
    }

    private void positive(String path, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problem(path, DurationText.format(duration) + " (expected: more than 0, like 10s)");
        }
    }

    private boolean between(String path, Duration duration, Duration min, Duration max) {
        if (duration == null || duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            problem(path, DurationText.format(duration) + " (expected: " + DurationText.format(min) + "-"
                    + DurationText.format(max) + ")");
            return false;
        }
        return true;
    }

    private static String quote(String text) {
        return text == null ? "missing" : '"' + text + '"';
    }

    private void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }
}
