package io.fulcrum.routing;

import io.fulcrum.model.Action;
import io.fulcrum.model.FixedResponseAction;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.Rule;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static io.fulcrum.routing.Rules.DEFAULT;
import static io.fulcrum.routing.Rules.compile;
import static io.fulcrum.routing.Rules.header;
import static io.fulcrum.routing.Rules.host;
import static io.fulcrum.routing.Rules.method;
import static io.fulcrum.routing.Rules.path;
import static io.fulcrum.routing.Rules.rule;
import static io.fulcrum.routing.Rules.sourceIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Priority order, the default action, AND between conditions and OR between values. */
class CompiledRulesPrecedenceTest {
    private final RequestView request = new RequestView();

    private RequestView get(String host, String path) {
        return request.reset("GET", host, path, null, new DefaultHttpHeaders(), null);
    }

    @Test
    void lowestPriorityWinsWhateverTheInputOrder() {
        CompiledRules rules = compile(rule(30, path("/*")), rule(10, path("/api/*")), rule(20, path("/api/v1/*")));
        assertThat(rules.matchIndex(get("h", "/api/v1/x"))).isEqualTo(10);
        assertThat(rules.matchIndex(get("h", "/other"))).isEqualTo(30);
        assertThat(rules.size()).isEqualTo(3);
    }

    @Test
    void indexedExactHostRulesKeepPriorityAgainstScannedRules() {
        CompiledRules rules = compile(
                rule(5, path("/health")),
                rule(10, host("a.example.com")),
                rule(15, host("*.example.com")),
                rule(20, host("b.example.com")));
        assertThat(rules.indexedRuleCount()).isEqualTo(2);
        assertThat(rules.matchIndex(get("a.example.com", "/health"))).isEqualTo(5);
        assertThat(rules.matchIndex(get("a.example.com", "/x"))).isEqualTo(10);
        assertThat(rules.matchIndex(get("b.example.com", "/x"))).isEqualTo(15);
        assertThat(rules.matchIndex(get("c.example.org", "/x"))).isZero();
    }

    @Test
    void defaultActionWhenNothingMatches() {
        CompiledRules rules = compile(rule(1, path("/a")));
        MatchedRule match = rules.matchRule(get("h", "/b"));
        assertThat(match.isDefault()).isTrue();
        assertThat(match.priority()).isEqualTo(MatchedRule.DEFAULT_PRIORITY);
        assertThat(match.action()).isSameAs(DEFAULT);
        assertThat(rules.match(get("h", "/b"))).isSameAs(DEFAULT);
        assertThat(rules.defaultAction()).isSameAs(DEFAULT);
        assertThat(CompiledRules.compile(List.of(), List.of(DEFAULT)).match(get("h", "/"))).isSameAs(DEFAULT);
    }

    @Test
    void matchReturnsTheRulesAction() {
        Action fixed = new FixedResponseAction(404, null, "nope");
        CompiledRules rules = CompiledRules.compile(
                List.of(new Rule(7, List.of(path("/gone")), List.of(fixed))), List.of(DEFAULT));
        assertThat(rules.match(get("h", "/gone"))).isSameAs(fixed);
        assertThat(rules.matchRule(get("h", "/gone"))).isSameAs(rules.matchRule(get("h", "/gone")));
    }

    @Test
    void allConditionsMustMatch() throws Exception {
        CompiledRules rules = compile(rule(1, host("api.example.com"), path("/v1/*"), method("GET"),
                sourceIp("127.0.0.0/8"), header("X-Env", "prod")));
        io.netty.handler.codec.http.HttpHeaders headers = new DefaultHttpHeaders().add("x-env", "PROD");
        InetAddress local = InetAddress.getByName("127.0.0.1");
        request.reset("GET", "api.example.com", "/v1/x", null, headers, local);
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        request.setPath("/v2/x");
        assertThat(rules.matchIndex(request)).isZero();
        request.setPath("/v1/x").setMethod("POST");
        assertThat(rules.matchIndex(request)).isZero();
        request.setMethod("GET").setSourceAddress(InetAddress.getByName("10.0.0.1"));
        assertThat(rules.matchIndex(request)).isZero();
        request.setSourceAddress(local).setHost("www.example.com");
        assertThat(rules.matchIndex(request)).isZero();
        request.setHost("api.example.com").setHeaders(new DefaultHttpHeaders());
        assertThat(rules.matchIndex(request)).isZero();
    }

    @Test
    void repeatedHeaderConditionsAreAndedToo() {
        CompiledRules rules = compile(rule(1, header("A", "1"), header("B", "2")));
        io.netty.handler.codec.http.HttpHeaders headers = new DefaultHttpHeaders().add("A", "1");
        request.reset("GET", "h", "/", null, headers, null);
        assertThat(rules.matchIndex(request)).isZero();
        headers.add("B", "2");
        assertThat(rules.matchIndex(request)).isEqualTo(1);
    }

    @Test
    void anyValueOfAConditionMayMatch() {
        CompiledRules rules = compile(rule(1, host("a.example.com", "b.example.com", "*.test")));
        assertThat(rules.matchIndex(get("a.example.com", "/"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("b.example.com", "/"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("x.test", "/"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("c.example.com", "/"))).isZero();
    }

    @Test
    void aRuleWithoutConditionsAlwaysMatches() {
        CompiledRules rules = compile(rule(9), rule(3, path("/x")));
        assertThat(rules.matchIndex(get("h", "/x"))).isEqualTo(3);
        assertThat(rules.matchIndex(get("h", "/y"))).isEqualTo(9);
    }

    @Test
    void compileErrorsSayWhereAndWhat() {
        assertThatThrownBy(() -> compile(rule(4, path("/a"), sourceIp("10.0.0.0/8", "10.0.0.0/40"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rules[priority=4].conditions[1].values[1]: 10.0.0.0/40 (expected: ");
        assertThatThrownBy(() -> CompiledRules.compile(List.of(), List.of()))
                .hasMessage("defaultActions: [] (expected: one action)");
        assertThatThrownBy(() -> CompiledRules.compile(List.of(new Rule(2, List.of(), List.of())), List.of(DEFAULT)))
                .hasMessage("rules[priority=2].actions: [] (expected: one action)");
        assertThatThrownBy(() -> compile(rule(3, header(null, "x"))))
                .hasMessage("rules[priority=3].conditions[0].httpHeaderName: null (expected: a header name)");
        assertThat(ForwardAction.to("x")).isNotNull();
    }
}
