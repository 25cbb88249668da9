package io.fulcrum.routing;

import io.fulcrum.model.Action;
import io.fulcrum.model.Condition;
import io.fulcrum.model.ConditionField;
import io.fulcrum.model.Rule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A listener's rules compiled once per config revision: immutable, shareable between event loops, and
 * matched without allocation.
 *
 * <p>Rules are tried by ascending priority; the first whose conditions all match wins (values within one
 * condition are OR-ed), else the default action applies. A condition with no values never matches.
 *
 * <p>Rules whose single host-header condition lists only exact hosts are not scanned: a hash map from
 * lower-cased host to those rules gives the candidates for the request's host, merged by priority with the
 * remaining rules (no host condition, or a wildcard host), so the answer is the same as a full scan.
 */
public final class CompiledRules {
    private static final int[] NONE = new int[0];

    /** By ascending priority. */
    private final CompiledRule[] rules;
    /** Indexes into {@link #rules} of rules not in the host index, ascending. */
    private final int[] scanned;
    /** Lower-cased exact host → indexes into {@link #rules}, ascending. */
    private final Map<String, int[]> byHost;
    private final MatchedRule defaultMatch;

    private CompiledRules(CompiledRule[] rules, int[] scanned, Map<String, int[]> byHost, MatchedRule defaultMatch) {
        this.rules = rules;
        this.scanned = scanned;
        this.byHost = byHost;
        this.defaultMatch = defaultMatch;
    }

    /**
     * Compiles a listener's rules (any order; sorted here by priority) and its default action.
     * Each rule's action is its first (only) action; so is the default's.
     *
     * @throws IllegalArgumentException when an action list is empty or a condition cannot be compiled
     *         (the validator should have refused such a config already)
     */
    public static CompiledRules compile(List<Rule> rules, List<Action> defaultActions) {
        return compile(rules, defaultActions, true);
    }

    /** As {@link #compile(List, List)}; {@code useHostIndex=false} scans every rule (tests compare the two). */
    static CompiledRules compile(List<Rule> rules, List<Action> defaultActions, boolean useHostIndex) {
        if (defaultActions == null || defaultActions.isEmpty()) {
            throw new IllegalArgumentException("defaultActions: " + defaultActions + " (expected: one action)");
        }
        List<Rule> sorted = new ArrayList<>(rules == null ? List.of() : rules);
        sorted.sort(Comparator.comparingInt(Rule::priority));
        CompiledRule[] compiled = new CompiledRule[sorted.size()];
        Map<String, List<Integer>> hostLists = new HashMap<>();
        List<Integer> scan = new ArrayList<>();
        for (int i = 0; i < compiled.length; i++) {
            Rule rule = sorted.get(i);
            String where = "rules[priority=" + rule.priority() + "]";
            if (rule.actions().isEmpty()) {
                throw new IllegalArgumentException(where + ".actions: [] (expected: one action)");
            }
            ConditionMatcher[] all = new ConditionMatcher[rule.conditions().size()];
            int hostConditions = 0;
            ConditionMatcher.Host host = null;
            for (int c = 0; c < all.length; c++) {
                Condition condition = rule.conditions().get(c);
                all[c] = ConditionMatcher.compile(condition, where + ".conditions[" + c + "]");
                if (condition.field() == ConditionField.HOST_HEADER) {
                    hostConditions++;
                    host = (ConditionMatcher.Host) all[c];
                }
            }
            Arrays.sort(all, Comparator.comparingInt(ConditionMatcher::cost));
            boolean indexed = useHostIndex && hostConditions == 1 && host.allLiteral();
            ConditionMatcher[] rest = all;
            if (indexed) {
                ConditionMatcher h = host;
                rest = Arrays.stream(all).filter(m -> m != h).toArray(ConditionMatcher[]::new);
                for (WildcardPattern p : host.patterns) {
                    List<Integer> list = hostLists.computeIfAbsent(p.literalText(), k -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != i) { // a host listed twice in one rule
                        list.add(i);
                    }
                }
            } else {
                scan.add(i);
            }
            compiled[i] = new CompiledRule(new MatchedRule(rule.priority(), rule.actions().get(0)), all, rest);
        }
        Map<String, int[]> byHost = new HashMap<>();
        hostLists.forEach((h, list) -> byHost.put(h, toArray(list)));
        return new CompiledRules(compiled, toArray(scan), byHost,
                new MatchedRule(MatchedRule.DEFAULT_PRIORITY, defaultActions.get(0)));
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The matched rule's priority and action, or priority 0 and the default action. Never null. */
    public MatchedRule matchRule(RequestView request) {
        String host = request.host();
        int[] candidates = host == null ? NONE : byHost.getOrDefault(host, NONE);
        int[] scan = scanned;
        int a = 0;
        int b = 0;
        // Merge the two ascending index lists so rules are still tried in priority order.
        while (a < candidates.length || b < scan.length) {
            CompiledRule rule;
            boolean hostMatched;
            if (b >= scan.length || (a < candidates.length && candidates[a] < scan[b])) {
                rule = rules[candidates[a++]];
                hostMatched = true;
            } else {
                rule = rules[scan[b++]];
                hostMatched = false;
            }
            if (rule.matches(request, hostMatched)) {
                return rule.result;
            }
        }
        return defaultMatch;
    }

    /** The action of the first matching rule, or the default action. */
    public Action match(RequestView request) {
        return matchRule(request).action();
    }

    /** The priority of the first matching rule, or 0 when the default action applies (for logs and metrics). */
    public int matchIndex(RequestView request) {
        return matchRule(request).priority();
    }

    /** The default action. */
    public Action defaultAction() {
        return defaultMatch.action();
    }

    /** Number of rules, the default excluded. */
    public int size() {
        return rules.length;
    }

    /** Number of rules found through the exact-host index rather than scanned. */
    int indexedRuleCount() {
        return rules.length - scanned.length;
    }

    /** One rule: all conditions (cheap first), and the same without its host condition for index hits. */
    private record CompiledRule(MatchedRule result, ConditionMatcher[] all, ConditionMatcher[] withoutHost) {
        boolean matches(RequestView request, boolean hostMatched) {
            for (ConditionMatcher m : hostMatched ? withoutHost : all) {
                if (!m.matches(request)) {
                    return false;
                }
            }
            return true;
        }
    }
}
