package io.fulcrum.bench;

import io.fulcrum.model.Condition;
import io.fulcrum.model.ConditionField;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.Rule;
import io.fulcrum.routing.CompiledRules;
import io.fulcrum.routing.RequestView;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of matching one request against a listener's compiled rules: a mix of exact-host, wildcard-host and
 * path-pattern rules, with the request matching only the last rule (or none, for the default action).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleMatchBenchmark {

    @Param({"1", "100", "1000"})
    int ruleCount;

    private CompiledRules rules;
    private final RequestView request = new RequestView();
    private HttpHeaders headers;
    private InetAddress peer;

    @Setup
    public void setUp() throws Exception {
        List<Rule> list = new ArrayList<>();
        for (int i = 1; i < ruleCount; i++) {
            Condition condition = switch (i % 3) {
                case 0 -> condition(ConditionField.HOST_HEADER, "svc" + i + ".example.com");
                case 1 -> condition(ConditionField.PATH_PATTERN, "/svc" + i + "/*");
                default -> condition(ConditionField.HOST_HEADER, "*.svc" + i + ".example.com");
            };
            list.add(new Rule(i, List.of(condition), List.of(ForwardAction.to("tg" + i))));
        }
        // The only rule that matches comes last: every other rule is tried (or skipped by the host index) first.
        list.add(new Rule(ruleCount, List.of(condition(ConditionField.HOST_HEADER, "api.example.com"),
                condition(ConditionField.PATH_PATTERN, "/api/*")), List.of(ForwardAction.to("api"))));
        rules = CompiledRules.compile(list, List.of(ForwardAction.to("default")));
        headers = new DefaultHttpHeaders().add("host", "api.example.com");
        peer = InetAddress.getByName("10.0.0.1");
        if (matchLastRule() != ruleCount || matchDefault() != 0) {
            throw new IllegalStateException("benchmark requests do not match as intended");
        }
    }

    private static Condition condition(ConditionField field, String value) {
        return new Condition(field, List.of(value), null, null);
    }

    @Benchmark
    public int matchLastRule() {
        request.reset("GET", "api.example.com", "/api/v1/users", "page=2", headers, peer);
        return rules.matchIndex(request);
    }

    @Benchmark
    public int matchDefault() {
        request.reset("GET", "www.example.org", "/index.html", null, headers, peer);
        return rules.matchIndex(request);
    }
}
