package io.fulcrum.routing;

import io.fulcrum.model.Condition;
import io.fulcrum.model.Rule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.fulcrum.routing.Rules.DEFAULT;
import static io.fulcrum.routing.Rules.host;
import static io.fulcrum.routing.Rules.method;
import static io.fulcrum.routing.Rules.path;
import static org.assertj.core.api.Assertions.assertThat;

/** The exact-host index must give the same answers as trying every rule in priority order. */
class HostIndexEquivalenceTest {
    private static final String[] HOSTS = {"a.example.com", "b.example.com", "c.example.org", "A.Example.com", "d.test"};
    private static final String[] HOST_PATTERNS = {"*.example.com", "?.example.org", "*", "*.test"};
    private static final String[] PATHS = {"/", "/api", "/api/v1", "/img/x.png", "/b"};
    private static final String[] PATH_PATTERNS = {"/api*", "/img/*.png", "/?", "/", "*"};

    @Test
    void indexedAndScannedAgreeOnRandomRulesAndRequests() {
        Random random = new Random(20240611L);
        int indexedSeen = 0;
        for (int round = 0; round < 200; round++) {
            List<Rule> rules = randomRules(random);
            CompiledRules indexed = CompiledRules.compile(rules, List.of(DEFAULT), true);
            CompiledRules scanned = CompiledRules.compile(rules, List.of(DEFAULT), false);
            assertThat(scanned.indexedRuleCount()).isZero();
            indexedSeen += indexed.indexedRuleCount();
            RequestView request = new RequestView();
            for (int i = 0; i < 200; i++) {
                request.reset(random.nextBoolean() ? "GET" : "POST",
                        random.nextInt(10) == 0 ? null : pick(random, HOSTS) + (random.nextBoolean() ? ":8080" : ""),
                        pick(random, PATHS), null, null, null);
                assertThat(indexed.matchRule(request))
                        .as("round %d request %s rules %s", round, request, rules)
                        .isEqualTo(scanned.matchRule(request));
            }
        }
        assertThat(indexedSeen).as("the index must actually be exercised").isGreaterThan(1000);
    }

    private static List<Rule> randomRules(Random random) {
        int count = 1 + random.nextInt(30);
        List<Rule> rules = new ArrayList<>();
        List<Integer> priorities = new ArrayList<>();
        for (int p = 1; p <= 100; p++) {
            priorities.add(p);
        }
        java.util.Collections.shuffle(priorities, random);
        for (int i = 0; i < count; i++) {
            List<Condition> conditions = new ArrayList<>();
            int hostKind = random.nextInt(4);
            if (hostKind == 1 || hostKind == 2) { // exact hosts, sometimes several, sometimes in upper case
                int n = 1 + random.nextInt(2);
                String[] values = new String[n];
                for (int v = 0; v < n; v++) {
                    values[v] = pick(random, HOSTS);
                }
                conditions.add(host(values));
            } else if (hostKind == 3) { // a wildcard somewhere among the values makes the rule scanned
                conditions.add(host(pick(random, HOSTS), pick(random, HOST_PATTERNS)));
            }
            if (random.nextBoolean()) {
                conditions.add(path(pick(random, PATH_PATTERNS)));
            }
            if (random.nextInt(4) == 0) {
                conditions.add(method("GET"));
            }
            rules.add(Rules.rule(priorities.get(i), conditions.toArray(new Condition[0])));
        }
        return rules;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
