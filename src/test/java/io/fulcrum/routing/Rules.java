package io.fulcrum.routing;

import io.fulcrum.model.Action;
import io.fulcrum.model.Condition;
import io.fulcrum.model.ConditionField;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.Rule;

import java.util.Arrays;
import java.util.List;

/** Small builders for rules in tests. */
final class Rules {
    static final Action DEFAULT = ForwardAction.to("default");

    private Rules() {
    }

    static Rule rule(int priority, Condition... conditions) {
        return new Rule(priority, List.of(conditions), List.of(ForwardAction.to("tg-" + priority)));
    }

    static Condition host(String... values) {
        return new Condition(ConditionField.HOST_HEADER, Arrays.asList(values), null, null);
    }

    static Condition path(String... values) {
        return new Condition(ConditionField.PATH_PATTERN, Arrays.asList(values), null, null);
    }

    static Condition method(String... values) {
        return new Condition(ConditionField.HTTP_REQUEST_METHOD, Arrays.asList(values), null, null);
    }

    static Condition sourceIp(String... values) {
        return new Condition(ConditionField.SOURCE_IP, Arrays.asList(values), null, null);
    }

    static Condition header(String name, String... values) {
        return new Condition(ConditionField.HTTP_HEADER, Arrays.asList(values), name, null);
    }

    /** Alternating key, value; a null key means any key. */
    static Condition query(String... keyValues) {
        Condition.KeyValue[] kvs = new Condition.KeyValue[keyValues.length / 2];
        for (int i = 0; i < kvs.length; i++) {
            kvs[i] = new Condition.KeyValue(keyValues[2 * i], keyValues[2 * i + 1]);
        }
        return new Condition(ConditionField.QUERY_STRING, null, null, List.of(kvs));
    }

    static CompiledRules compile(Rule... rules) {
        return CompiledRules.compile(List.of(rules), List.of(DEFAULT));
    }
}
