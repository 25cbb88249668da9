package io.fulcrum.routing;

import io.fulcrum.model.Rule;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static io.fulcrum.routing.Rules.DEFAULT;
import static io.fulcrum.routing.Rules.header;
import static io.fulcrum.routing.Rules.host;
import static io.fulcrum.routing.Rules.method;
import static io.fulcrum.routing.Rules.path;
import static io.fulcrum.routing.Rules.query;
import static io.fulcrum.routing.Rules.rule;
import static io.fulcrum.routing.Rules.sourceIp;
import static org.assertj.core.api.Assertions.assertThat;

/** Matching on a reused RequestView allocates nothing, counted with the JVM's per-thread allocation counter. */
class MatchingAllocationTest {

    @Test
    void matchingARequestAllocatesNothing() throws Exception {
        List<Rule> rules = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            rules.add(switch (i % 4) {
                case 0 -> rule(i, host("h" + i + ".example.com"));
                case 1 -> rule(i, host("*.w" + i + ".example.com"), path("/p" + i + "/*"));
                case 2 -> rule(i, path("/p" + i + "/*"), method("POST"));
                default -> rule(i, path("/x" + i + "*"), query("k" + i, "v*"));
            });
        }
        rules.add(rule(500, host("api.example.com"), path("/api/*"), method("GET"), sourceIp("10.0.0.0/8", "::/0"),
                header("X-Env", "prod*"), query(null, "yes")));
        CompiledRules compiled = CompiledRules.compile(rules, List.of(DEFAULT));

        HttpHeaders headers = new DefaultHttpHeaders().add("x-env", "production");
        InetAddress peer = InetAddress.getByName("10.1.2.3");
        String[] queries = {"a=1&flag=yes", "flag=yes&b=%41", "x=y&flag=y%65s"};
        RequestView request = new RequestView();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int checksum = 0;
        for (int i = 0; i < 20_000; i++) { // warm up: buffers reach their size, the JIT settles
            request.reset("GET", "api.example.com", "/api/users", queries[i % 3], headers, peer);
            checksum += compiled.matchIndex(request);
        }
        int ops = 100_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ops; i++) {
            request.reset("GET", "api.example.com", "/api/users", queries[i % 3], headers, peer);
            checksum += compiled.matchIndex(request);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(checksum).isEqualTo(500 * 120_000);
        // A single allocation per match would be at least 16 B * 100 000; allow a little for the counter itself.
        assertThat(allocated).as("bytes allocated by %d matches", ops).isLessThan(4096);
    }
}
