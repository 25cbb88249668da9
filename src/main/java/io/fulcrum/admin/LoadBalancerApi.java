package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.control.DesiredState;
import io.fulcrum.model.Rule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Load balancers, their listeners and the listeners' rules (ELB's CreateLoadBalancer, CreateListener, CreateRule, …). */
final class LoadBalancerApi {
    private static final String LB = "a load balancer {name, attributes, listeners}";
    private static final String LISTENER = "a listener {protocol, port, bindAddress, rules, defaultActions}";
    private static final String RULE = "a rule {priority, conditions, actions}";

    private final Writes writes;

    LoadBalancerApi(Writes writes) {
        this.writes = writes;
    }

    void register(Router router) {
        String lb = "/v1/load-balancers/{loadBalancer}";
        String listener = lb + "/listeners/{port}";
        String rule = listener + "/rules/{priority}";
        router.add("GET", "/v1/load-balancers", this::list)
                .add("POST", "/v1/load-balancers", this::create)
                .add("GET", lb, this::get)
                .add("PUT", lb, this::replace)
                .add("DELETE", lb, this::delete)
                .add("GET", lb + "/listeners", this::listListeners)
                .add("POST", lb + "/listeners", this::createListener)
                .add("GET", listener, this::getListener)
                .add("PUT", listener, this::replaceListener)
                .add("DELETE", listener, this::deleteListener)
                .add("GET", listener + "/rules", this::listRules)
                .add("POST", listener + "/rules", this::createRule)
                .add("POST", listener + "/rules/set-priorities", this::setPriorities)
                .add("GET", rule, this::getRule)
                .add("PUT", rule, this::replaceRule)
                .add("DELETE", rule, this::deleteRule);
    }

    // ---- load balancers

    private ApiResponse list(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.list("loadBalancers", state.config().loadBalancers(), ConfigWriter::loadBalancer, state.revision());
    }

    private ApiResponse get(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        ObjectNode document = ConfigWriter.toTree(state.config());
        return ApiResponse.ok(lb(document, request).node(), state.revision());
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), LB);
        boolean[] created = new boolean[1];
        String name = NamedLists.key(body, "name");
        DesiredState state = writes.edit(request, "CreateLoadBalancer " + name, (document, current) ->
                NamedLists.create(document, current, Documents.array(document, "loadBalancers"), "loadBalancers",
                        "name", body, created, () -> ApiException.conflict(ErrorCodes.DUPLICATE_LOAD_BALANCER_NAME,
                                "a load balancer named " + name + " exists, with other settings")));
        ArrayNode lbs = (ArrayNode) ConfigWriter.toTree(state.config()).get("loadBalancers");
        JsonNode result = lbs.get(Documents.indexOf(lbs, "name", name));
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    /** Replaces a load balancer; its listeners stay unless the body lists them. */
    private ApiResponse replace(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), LB);
        String name = request.param("loadBalancer");
        DesiredState state = writes.edit(request, "ModifyLoadBalancer " + name, (document, current) -> {
            Found lb = lb(document, request);
            Documents.requireKey(body, "name", name, false);
            Documents.keep(body, lb.node(), "listeners");
            lb.array().set(lb.index(), body);
            return lb.path();
        });
        return ApiResponse.ok(lb(ConfigWriter.toTree(state.config()), request).node(), state.revision());
    }

    private ApiResponse delete(ApiRequest request) {
        DesiredState state = writes.edit(request, "DeleteLoadBalancer " + request.param("loadBalancer"),
                (document, current) -> {
                    Found lb = lb(document, request);
                    lb.array().remove(lb.index());
                    return null;
                });
        return ApiResponse.noContent(state.revision());
    }

    // ---- listeners

    private ApiResponse listListeners(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        ObjectNode body = Json.object();
        body.set("listeners", lb(ConfigWriter.toTree(state.config()), request).node().get("listeners"));
        return ApiResponse.ok(body, state.revision());
    }

    private ApiResponse getListener(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(listener(ConfigWriter.toTree(state.config()), request).node(), state.revision());
    }

    private ApiResponse createListener(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), LISTENER);
        boolean[] created = new boolean[1];
        String port = NamedLists.key(body, "port");
        String lbName = request.param("loadBalancer");
        DesiredState state = writes.edit(request, "CreateListener " + lbName + "/" + port, (document, current) -> {
            Found lb = lb(document, request);
            return NamedLists.create(document, current, Documents.array(lb.node(), "listeners"), lb.path() + ".listeners",
                    "port", body, created, () -> ApiException.conflict(ErrorCodes.DUPLICATE_LISTENER,
                            "load balancer " + lbName + " has a listener on port " + port + ", with other settings"));
        });
        ObjectNode lb = lb(ConfigWriter.toTree(state.config()), request).node();
        ArrayNode listeners = (ArrayNode) lb.get("listeners");
        JsonNode result = listeners.get(Documents.indexOf(listeners, "port", port));
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    /** Replaces a listener; its rules stay unless the body lists them. */
    private ApiResponse replaceListener(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), LISTENER);
        String port = String.valueOf(request.intParam("port"));
        DesiredState state = writes.edit(request, "ModifyListener " + request.param("loadBalancer") + "/" + port,
                (document, current) -> {
                    Found listener = listener(document, request);
                    Documents.requireKey(body, "port", port, true);
                    Documents.keep(body, listener.node(), "rules");
                    listener.array().set(listener.index(), body);
                    return listener.path();
                });
        return ApiResponse.ok(listener(ConfigWriter.toTree(state.config()), request).node(), state.revision());
    }

    private ApiResponse deleteListener(ApiRequest request) {
        DesiredState state = writes.edit(request, "DeleteListener " + request.param("loadBalancer") + "/"
                + request.param("port"), (document, current) -> {
                    Found listener = listener(document, request);
                    listener.array().remove(listener.index());
                    return null;
                });
        return ApiResponse.noContent(state.revision());
    }

    // ---- rules

    private ApiResponse listRules(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        ObjectNode body = Json.object();
        body.set("rules", listener(ConfigWriter.toTree(state.config()), request).node().get("rules"));
        return ApiResponse.ok(body, state.revision());
    }

    private ApiResponse getRule(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(rule(ConfigWriter.toTree(state.config()), request).node(), state.revision());
    }

    private ApiResponse createRule(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), RULE);
        boolean[] created = new boolean[1];
        String priority = NamedLists.key(body, "priority");
        DesiredState state = writes.edit(request, "CreateRule " + listenerName(request) + "/" + priority,
                (document, current) -> {
                    Found listener = listener(document, request);
                    return NamedLists.create(document, current, Documents.array(listener.node(), "rules"),
                            listener.path() + ".rules", "priority", body, created,
                            () -> ApiException.conflict(ErrorCodes.PRIORITY_IN_USE, "listener " + listenerName(request)
                                    + " has a rule of priority " + priority + ", with other settings"));
                });
        ArrayNode rules = (ArrayNode) listener(ConfigWriter.toTree(state.config()), request).node().get("rules");
        JsonNode result = rules.get(Documents.indexOf(rules, "priority", priority));
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    private ApiResponse replaceRule(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), RULE);
        String priority = String.valueOf(request.intParam("priority"));
        DesiredState state = writes.edit(request, "ModifyRule " + listenerName(request) + "/" + priority,
                (document, current) -> {
                    Found rule = rule(document, request);
                    Documents.requireKey(body, "priority", priority, true);
                    rule.array().set(rule.index(), body);
                    return rule.path();
                });
        return ApiResponse.ok(rule(ConfigWriter.toTree(state.config()), request).node(), state.revision());
    }

    private ApiResponse deleteRule(ApiRequest request) {
        DesiredState state = writes.edit(request, "DeleteRule " + listenerName(request) + "/" + request.param("priority"),
                (document, current) -> {
                    Found rule = rule(document, request);
                    rule.array().remove(rule.index());
                    return null;
                });
        return ApiResponse.noContent(state.revision());
    }

    /** ELB's SetRulePriorities: every move at once, so two rules may swap priorities. */
    private ApiResponse setPriorities(ApiRequest request) {
        JsonNode body = Json.parse(request.body(), "a list of {from, to}");
        if (!body.isArray()) {
            throw ApiException.invalid("(body)", Json.describe(body) + " (expected: a list of {from, to})");
        }
        Map<Integer, Integer> moves = new HashMap<>();
        for (int i = 0; i < body.size(); i++) {
            int from = priority(body.get(i), "from", "[" + i + "]");
            int to = priority(body.get(i), "to", "[" + i + "]");
            if (moves.put(from, to) != null) {
                throw ApiException.invalid("[" + i + "].from", from + " is moved twice (expected: each rule once)");
            }
        }
        DesiredState state = writes.edit(request, "SetRulePriorities " + listenerName(request), (document, current) -> {
            Found listener = listener(document, request);
            ArrayNode rules = Documents.array(listener.node(), "rules");
            for (int from : moves.keySet()) {
                if (Documents.indexOf(rules, "priority", String.valueOf(from)) < 0) {
                    throw ApiException.notFound(ErrorCodes.RULE_NOT_FOUND, "listener " + listenerName(request)
                            + " has no rule of priority " + from);
                }
            }
            Set<Integer> taken = new HashSet<>();
            for (JsonNode rule : rules) {
                int priority = rule.get("priority").asInt();
                int next = moves.getOrDefault(priority, priority);
                if (!taken.add(next)) {
                    throw ApiException.conflict(ErrorCodes.PRIORITY_IN_USE, "priority " + next
                            + " would be held by two rules of listener " + listenerName(request));
                }
                ((ObjectNode) rule).put("priority", next);
            }
            return null;
        });
        ObjectNode result = Json.object();
        result.set("rules", listener(ConfigWriter.toTree(state.config()), request).node().get("rules"));
        return ApiResponse.ok(result, state.revision());
    }

    private static int priority(JsonNode item, String field, String path) {
        JsonNode value = item == null ? null : item.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw ApiException.invalid(path + "." + field, (value == null ? "missing" : Json.describe(value))
                    + " (expected: a rule priority " + Rule.MIN_PRIORITY + "-" + Rule.MAX_PRIORITY + ")");
        }
        int priority = value.asInt();
        if (priority < Rule.MIN_PRIORITY || priority > Rule.MAX_PRIORITY) {
            throw ApiException.invalid(path + "." + field, priority + " (expected: " + Rule.MIN_PRIORITY + "-"
                    + Rule.MAX_PRIORITY + ")");
        }
        return priority;
    }

    // ---- finding

    /** An element found in the state's tree: its list, index and path. */
    record Found(ArrayNode array, int index, String path) {
        ObjectNode node() {
            return (ObjectNode) array.get(index);
        }
    }

    private static String listenerName(ApiRequest request) {
        return request.param("loadBalancer") + "/" + request.param("port");
    }

    private static Found lb(ObjectNode document, ApiRequest request) {
        String name = request.param("loadBalancer");
        ArrayNode lbs = Documents.array(document, "loadBalancers");
        int index = NamedLists.find(lbs, "name", name, () -> ApiException.notFound(
                ErrorCodes.LOAD_BALANCER_NOT_FOUND, "no load balancer named " + name));
        return new Found(lbs, index, "loadBalancers[" + index + "]");
    }

    private static Found listener(ObjectNode document, ApiRequest request) {
        Found lb = lb(document, request);
        String port = String.valueOf(request.intParam("port"));
        ArrayNode listeners = Documents.array(lb.node(), "listeners");
        int index = NamedLists.find(listeners, "port", port, () -> ApiException.notFound(
                ErrorCodes.LISTENER_NOT_FOUND, "load balancer " + request.param("loadBalancer")
                        + " has no listener on port " + port));
        return new Found(listeners, index, lb.path() + ".listeners[" + index + "]");
    }

    private static Found rule(ObjectNode document, ApiRequest request) {
        Found listener = listener(document, request);
        String priority = String.valueOf(request.intParam("priority"));
        ArrayNode rules = Documents.array(listener.node(), "rules");
        int index = NamedLists.find(rules, "priority", priority, () -> ApiException.notFound(
                ErrorCodes.RULE_NOT_FOUND, "listener " + listenerName(request) + " has no rule of priority " + priority));
        return new Found(rules, index, listener.path() + ".rules[" + index + "]");
    }
}
