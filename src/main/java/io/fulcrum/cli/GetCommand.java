package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fulcrum get [KIND [NAME]]}: the live desired state, whole or one kind, as a table, YAML or
 * JSON. {@code get -o yaml} prints a whole config that {@code apply -f} takes back unchanged.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Show the live desired state: all of it, one kind, or one resource.",
                "KIND: load-balancers (lb), listeners, rules, target-groups (tg), targets, launch-templates (lt),"
                        + " auto-scaling-groups (asg), revisions.",
                "NAME filters: a load balancer for listeners and rules, a target group for targets.",
                "`get -o yaml > f.yaml` then `apply -f f.yaml` changes nothing.",
                "Exit codes: 0 ok, 2 bad arguments, 3 not found, 5 unauthorized, 6 admin API unreachable."})
final class GetCommand extends AdminCommand {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "What to show (default: everything).")
    String kindName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One resource, or a parent's name.")
    String name;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json. Default: ${DEFAULT-VALUE}")
    OutputFormat output;

    @Override
    int run(AdminClient client) throws CliException {
        ResourceKind kind = null;
        if (kindName != null) {
            kind = ResourceKind.parse(kindName);
            if (kind == null) {
                throw new CliException(ExitCodes.INVALID, "unknown kind \"" + kindName + "\" (expected one of: "
                        + String.join(", ", ResourceKind.names()) + ")");
            }
        }
        if (kind == ResourceKind.REVISIONS) {
            return revisions(client);
        }
        JsonNode state = client.get("/v1/state");
        JsonNode config = state.path("config");
        if (kind == null) {
            if (output == OutputFormat.table) {
                System.out.println("revision " + state.path("revision").asLong() + " (" + state.path("cause").asText() + ")");
                for (ResourceKind each : ResourceKind.values()) {
                    if (each != ResourceKind.REVISIONS) {
                        Table table = table(each, items(each, config, null));
                        if (!table.isEmpty()) {
                            System.out.println();
                            System.out.println(each.displayName().toUpperCase(java.util.Locale.ROOT));
                            System.out.print(table);
                        }
                    }
                }
            } else {
                System.out.print(output.write(config));
            }
            return ExitCodes.OK;
        }
        List<Item> items = items(kind, config, name);
        if (name != null && items.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, kind.displayName() + " \"" + name + "\" not found");
        }
        if (output == OutputFormat.table) {
            Table table = table(kind, items);
            System.out.print(table.isEmpty() ? "No " + kind.displayName() + "." + System.lineSeparator() : table);
        } else if (name != null && items.size() == 1 && isNamed(kind)) {
            System.out.print(output.write(items.get(0).node()));
        } else {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(item.node()));
            System.out.print(output.write(array));
        }
        return ExitCodes.OK;
    }

    private int revisions(AdminClient client) throws CliException {
        JsonNode revisions = client.get("/v1/revisions");
        JsonNode list = revisions.isArray() ? revisions : revisions.path("revisions");
        if (output != OutputFormat.table) {
            System.out.print(output.write(list));
            return ExitCodes.OK;
        }
        Table table = new Table("REVISION", "TIME", "CAUSE");
        for (JsonNode revision : list) {
            table.row(revision.path("revision").asText(), revision.path("time").asText(), revision.path("cause").asText());
        }
        System.out.print(table);
        return ExitCodes.OK;
    }

    /** Kinds whose NAME names one resource (the others filter by their parent's name). */
    private static boolean isNamed(ResourceKind kind) {
        return kind == ResourceKind.LOAD_BALANCERS || kind == ResourceKind.TARGET_GROUPS
                || kind == ResourceKind.LAUNCH_TEMPLATES || kind == ResourceKind.AUTO_SCALING_GROUPS;
    }

    /** One resource and the name of its parent (a load balancer or target group), if it has one. */
    private record Item(String parent, JsonNode node) {
    }

    private static List<Item> items(ResourceKind kind, JsonNode config, String name) {
        List<Item> items = new ArrayList<>();
        switch (kind) {
            case LOAD_BALANCERS -> named(config.path("loadBalancers"), name, items);
            case TARGET_GROUPS -> named(config.path("targetGroups"), name, items);
            case LAUNCH_TEMPLATES -> named(config.path("launchTemplates"), name, items);
            case AUTO_SCALING_GROUPS -> named(config.path("autoScalingGroups"), name, items);
            case LISTENERS, RULES -> {
                for (JsonNode lb : config.path("loadBalancers")) {
                    String lbName = lb.path("name").asText();
                    if (name != null && !name.equals(lbName)) {
                        continue;
                    }
                    for (JsonNode listener : lb.path("listeners")) {
                        if (kind == ResourceKind.LISTENERS) {
                            items.add(new Item(lbName, listener));
                        } else {
                            for (JsonNode rule : listener.path("rules")) {
                                ObjectNode withPort = ((ObjectNode) rule.deepCopy()).put("listenerPort",
                                        listener.path("port").asInt());
                                items.add(new Item(lbName, withPort));
                            }
                        }
                    }
                }
            }
            case TARGETS -> {
                for (JsonNode group : config.path("targetGroups")) {
                    String groupName = group.path("name").asText();
                    if (name == null || name.equals(groupName)) {
                        group.path("targets").forEach(target -> items.add(new Item(groupName, target)));
                    }
                }
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return items;
    }

    private static void named(JsonNode list, String name, List<Item> items) {
        for (JsonNode node : list) {
            if (name == null || name.equals(node.path("name").asText())) {
                items.add(new Item(null, node));
            }
        }
    }

    private static Table table(ResourceKind kind, List<Item> items) {
        Table table = switch (kind) {
            case LOAD_BALANCERS -> new Table("NAME", "LISTENERS", "IDLE TIMEOUT");
            case LISTENERS -> new Table("LOAD BALANCER", "PROTOCOL", "PORT", "BIND ADDRESS", "RULES", "DEFAULT ACTION");
            case RULES -> new Table("LOAD BALANCER", "PORT", "PRIORITY", "CONDITIONS", "ACTIONS");
            case TARGET_GROUPS -> new Table("NAME", "PROTOCOL", "PORT", "TARGETS", "HEALTH CHECK", "ALGORITHM");
            case TARGETS -> new Table("TARGET GROUP", "ID", "PORT", "WEIGHT");
            case LAUNCH_TEMPLATES -> new Table("NAME", "COMMAND");
            case AUTO_SCALING_GROUPS -> new Table("NAME", "MIN", "MAX", "DESIRED", "ZONES", "TARGET GROUPS", "LAUNCH TEMPLATE");
            default -> throw new IllegalArgumentException(kind.toString());
        };
        for (Item item : items) {
            JsonNode n = item.node();
            switch (kind) {
                case LOAD_BALANCERS -> {
                    List<String> listeners = new ArrayList<>();
                    n.path("listeners").forEach(l -> listeners.add(l.path("protocol").asText() + ":" + l.path("port").asText()));
                    table.row(n.path("name").asText(), String.join(",", listeners),
                            n.path("attributes").path("idleTimeout").asText());
                }
                case LISTENERS -> table.row(item.parent(), n.path("protocol").asText(), n.path("port").asText(),
                        n.path("bindAddress").asText(), n.path("rules").size(), actions(n.path("defaultActions")));
                case RULES -> {
                    List<String> conditions = new ArrayList<>();
                    for (JsonNode c : n.path("conditions")) {
                        JsonNode values = c.has("values") ? c.path("values") : c.path("queryStringValues");
                        conditions.add(c.path("field").asText() + "=" + values);
                    }
                    table.row(item.parent(), n.path("listenerPort").asText(), n.path("priority").asText(),
                            String.join(" ", conditions), actions(n.path("actions")));
                }
                case TARGET_GROUPS -> {
                    JsonNode check = n.path("healthCheck");
                    String health = check.path("enabled").asBoolean(true)
                            ? check.path("protocol").asText() + " " + check.path("path").asText() + " every "
                                    + check.path("interval").asText()
                            : "off";
                    String port = n.path("port").asInt() == 0 ? "-" : n.path("port").asText(); // targets give their own
                    table.row(n.path("name").asText(), n.path("protocol").asText(), port,
                            n.path("targets").size(), health, n.path("attributes").path("algorithm").asText());
                }
                case TARGETS -> table.row(item.parent(), n.path("id").asText(), n.path("port").asText(),
                        n.path("weight").asText());
                case LAUNCH_TEMPLATES -> {
                    List<String> command = new ArrayList<>();
                    n.path("command").forEach(part -> command.add(part.asText()));
                    table.row(n.path("name").asText(), String.join(" ", command));
                }
                case AUTO_SCALING_GROUPS -> table.row(n.path("name").asText(), n.path("minSize").asText(),
                        n.path("maxSize").asText(), n.path("desiredCapacity").asText(), join(n.path("zones")),
                        join(n.path("targetGroupNames")), n.path("launchTemplateName").asText());
                default -> throw new IllegalArgumentException(kind.toString());
            }
        }
        return table;
    }

    /** "forward:web", "fixed-response:200", "redirect:HTTP_301". */
    private static String actions(JsonNode actions) {
        List<String> parts = new ArrayList<>();
        for (JsonNode action : actions) {
            String type = action.path("type").asText();
            String detail = switch (type) {
                case "forward" -> {
                    List<String> groups = new ArrayList<>();
                    action.path("forwardConfig").path("targetGroups")
                            .forEach(g -> groups.add(g.path("targetGroupName").asText()));
                    if (action.has("targetGroupName")) {
                        groups.add(action.path("targetGroupName").asText());
                    }
                    yield String.join("+", groups);
                }
                case "fixed-response" -> action.path("fixedResponseConfig").path("statusCode").asText();
                case "redirect" -> action.path("redirectConfig").path("statusCode").asText();
                default -> "";
            };
            parts.add(type + ":" + detail);
        }
        return String.join(",", parts);
    }

    private static String join(JsonNode strings) {
        List<String> values = new ArrayList<>();
        strings.forEach(value -> values.add(value.asText()));
        return String.join(",", values);
    }
}
