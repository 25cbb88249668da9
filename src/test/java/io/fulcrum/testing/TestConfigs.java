package io.fulcrum.testing;

import java.util.List;

/**
 * YAML for the usual test set-up: one load balancer "lb" with one HTTP listener on 127.0.0.1:port
 * whose default action forwards to target group "web"; rules, attributes and more groups on request.
 */
public final class TestConfigs {
    /** Fast checks: a stopped target is unhealthy after 2 × 200 ms, a new one healthy after 2 probes. */
    public static final String FAST_CHECKS =
            "{path: /health, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2}";
    /** Health checks off: targets are healthy at once, and no probe reaches a scripted backend. */
    public static final String CHECKS_OFF = "{enabled: false, interval: 300s}";

    private TestConfigs() {
    }

    /** The builder for a listener on 127.0.0.1:{@code port}; with no further call, group "web" is empty. */
    public static Web web(int port) {
        return new Web(port);
    }

    /** The common config, step by step; {@link #yaml()} gives the text. */
    public static final class Web {
        private final int port;
        private List<String> targets = List.of();
        private String healthCheck = FAST_CHECKS;
        private String groupAttributes;
        private String lbAttributes;
        private String rules;
        private String moreGroups = "";
        private int maxConnections;

        private Web(int port) {
            this.port = port;
        }

        /** The targets of "web", each "host:port". */
        public Web targets(String... addresses) {
            return targets(List.of(addresses));
        }

        public Web targets(List<String> addresses) {
            return targetItems(addresses.stream().map(address -> '"' + address + '"').toList());
        }

        /** The targets of "web" as YAML flow items, e.g. {@code {id: 127.0.0.1, port: 9001, weight: 3}}. */
        public Web targetItems(String... items) {
            return targetItems(List.of(items));
        }

        private Web targetItems(List<String> items) {
            targets = List.copyOf(items);
            return this;
        }

        /** The health check of "web" as a YAML flow map; {@link #FAST_CHECKS} unless set. */
        public Web healthCheck(String flowMap) {
            healthCheck = flowMap;
            return this;
        }

        /** Health checks off ({@link #CHECKS_OFF}). */
        public Web checksOff() {
            return healthCheck(CHECKS_OFF);
        }

        /** The attributes of "web" as a YAML flow map, e.g. {@code {algorithm: round_robin}}. */
        public Web attributes(String flowMap) {
            groupAttributes = flowMap;
            return this;
        }

        /** The load balancer's attributes as a YAML flow map, e.g. {@code {idleTimeout: 500ms}}. */
        public Web lbAttributes(String flowMap) {
            lbAttributes = flowMap;
            return this;
        }

        /** The listener's maxConnections. */
        public Web maxConnections(int max) {
            maxConnections = max;
            return this;
        }

        /** The listener's rules: YAML list items, at any common indentation. */
        public Web rules(String items) {
            rules = items;
            return this;
        }

        /** Further target groups after "web": YAML list items, at any common indentation. */
        public Web moreTargetGroups(String items) {
            moreGroups = items;
            return this;
        }

        public String yaml() {
            StringBuilder yaml = new StringBuilder();
            yaml.append("loadBalancers:\n");
            yaml.append("  - name: lb\n");
            if (lbAttributes != null) {
                yaml.append("    attributes: ").append(lbAttributes).append('\n');
            }
            yaml.append("    listeners:\n");
            yaml.append("      - port: ").append(port).append('\n');
            yaml.append("        bindAddress: 127.0.0.1\n");
            if (maxConnections > 0) {
                yaml.append("        maxConnections: ").append(maxConnections).append('\n');
            }
            if (rules != null) {
                yaml.append("        rules:\n").append(reindent(rules, 10));
            }
            yaml.append("        defaultActions: [{type: forward, targetGroupName: web}]\n");
            yaml.append("targetGroups:\n");
            yaml.append("  - name: web\n");
            yaml.append("    targets: ").append(flowList(targets)).append('\n');
            yaml.append("    healthCheck: ").append(healthCheck).append('\n');
            if (groupAttributes != null) {
                yaml.append("    attributes: ").append(groupAttributes).append('\n');
            }
            yaml.append(reindent(moreGroups, 2));
            return yaml.toString();
        }

        @Override
        public String toString() {
            return yaml();
        }

        /** The non-blank lines of {@code items}, their common indentation replaced by {@code spaces}. */
        private static String reindent(String items, int spaces) {
            int common = items.lines().filter(line -> !line.isBlank())
                    .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
            StringBuilder out = new StringBuilder();
            items.lines().filter(line -> !line.isBlank())
                    .forEach(line -> out.append(" ".repeat(spaces)).append(line.substring(common)).append('\n'));
            return out.toString();
        }

        private static String flowList(List<String> items) {
            return "[" + String.join(", ", items) + "]";
        }
    }
}
