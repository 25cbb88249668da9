package io.fulcrum.routing;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static io.fulcrum.routing.Rules.compile;
import static io.fulcrum.routing.Rules.header;
import static io.fulcrum.routing.Rules.host;
import static io.fulcrum.routing.Rules.method;
import static io.fulcrum.routing.Rules.path;
import static io.fulcrum.routing.Rules.query;
import static io.fulcrum.routing.Rules.rule;
import static io.fulcrum.routing.Rules.sourceIp;
import static org.assertj.core.api.Assertions.assertThat;

/** Each condition type on its own: which requests it lets through. */
class CompiledRulesConditionsTest {
    private final RequestView request = new RequestView();

    private RequestView get(String host, String target) {
        request.reset("GET", host, null, null, new DefaultHttpHeaders(), null);
        assertThat(request.setRequestTarget(target)).isTrue();
        return request;
    }

    @Test
    void hostHeaderIsCaseInsensitiveWithWildcardsAndIgnoresThePort() {
        CompiledRules rules = compile(rule(1, host("api.example.com")), rule(2, host("*.EXAMPLE.com", "example.???")));
        assertThat(rules.matchIndex(get("API.example.com:8080", "/"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("www.example.com", "/"))).isEqualTo(2);
        assertThat(rules.matchIndex(get("example.net", "/"))).isEqualTo(2);
        assertThat(rules.matchIndex(get("example.co", "/"))).isZero();
        assertThat(rules.matchIndex(get(null, "/"))).isZero();
    }

    @Test
    void pathPatternIsCaseSensitiveAndIgnoresTheQuery() {
        CompiledRules rules = compile(rule(1, path("/api/*")), rule(2, path("/img/*.png", "/v?/x")));
        assertThat(rules.matchIndex(get("h", "/api/users?x=/img/a.png"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("h", "/API/users"))).isZero();
        assertThat(rules.matchIndex(get("h", "/img/a/b.png"))).isEqualTo(2);
        assertThat(rules.matchIndex(get("h", "/v2/x"))).isEqualTo(2);
        assertThat(rules.matchIndex(get("h", "/img/a.png?x"))).isEqualTo(2);
        assertThat(rules.matchIndex(get("h", "/api"))).isZero();
    }

    @Test
    void pathPatternSeesTheNormalisedPath() {
        CompiledRules rules = compile(rule(1, path("/admin*")));
        assertThat(rules.matchIndex(get("h", "/api/%2e%2e/admin"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("h", "/public/../admin/x"))).isEqualTo(1);
    }

    @Test
    void methodIsExactAndCaseSensitive() {
        CompiledRules rules = compile(rule(1, method("POST", "PUT")));
        request.reset("POST", "h", "/", null, null, null);
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        request.setMethod("PUT");
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        request.setMethod("post");
        assertThat(rules.matchIndex(request)).isZero();
        request.setMethod("GET");
        assertThat(rules.matchIndex(request)).isZero();
    }

    @Test
    void httpHeaderNameIsCaseInsensitiveValueIsAWildcardAnyOccurrenceMatches() {
        CompiledRules rules = compile(rule(1, header("User-Agent", "*Mobile*", "curl/?.*")));
        HttpHeaders headers = new DefaultHttpHeaders();
        request.reset("GET", "h", "/", null, headers, null);
        assertThat(rules.matchIndex(request)).isZero();
        headers.set("user-agent", "Mozilla/5.0 (iPhone) MOBILE Safari");
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        headers.set("USER-AGENT", "CURL/8.1");
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        headers.set("User-Agent", "Firefox");
        assertThat(rules.matchIndex(request)).isZero();
        headers.add("User-Agent", "other");
        headers.add("User-Agent", "my mobile phone");
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        request.setHeaders(null);
        assertThat(rules.matchIndex(request)).isZero();
    }

    @Test
    void queryStringMatchesDecodedPairsCaseInsensitively() {
        CompiledRules rules = compile(
                rule(1, query("version", "v1")),
                rule(2, query(null, "blue*")),
                rule(3, query("lang", "en us", "q", "a\\*b")),
                rule(4, query("debug", null)));
        assertThat(rules.matchIndex(get("h", "/?x=1&Version=V1"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("h", "/?version=v2"))).isZero();
        assertThat(rules.matchIndex(get("h", "/?color=BLUEISH"))).isEqualTo(2);
        assertThat(rules.matchIndex(get("h", "/?lang=en+us"))).isEqualTo(3);
        assertThat(rules.matchIndex(get("h", "/?lang=en%20US"))).isEqualTo(3);
        assertThat(rules.matchIndex(get("h", "/?q=a%2Ab"))).isEqualTo(3);
        assertThat(rules.matchIndex(get("h", "/?q=axb"))).isZero();
        assertThat(rules.matchIndex(get("h", "/?debug"))).isEqualTo(4);
        assertThat(rules.matchIndex(get("h", "/?debug=anything"))).isEqualTo(4);
        assertThat(rules.matchIndex(get("h", "/"))).isZero();
        assertThat(rules.matchIndex(get("h", "/?"))).isZero();
    }

    @Test
    void queryKeyAndValueAreMatchedWithinOnePair() {
        CompiledRules rules = compile(rule(1, query("a", "2")));
        assertThat(rules.matchIndex(get("h", "/?a=1&b=2"))).isZero();
        assertThat(rules.matchIndex(get("h", "/?a=1&a=2"))).isEqualTo(1);
        assertThat(rules.matchIndex(get("h", "/?k*=?"))).isZero();
        CompiledRules wild = compile(rule(1, query("k*", "?")));
        assertThat(wild.matchIndex(get("h", "/?key=x"))).isEqualTo(1);
        assertThat(wild.matchIndex(get("h", "/?key=xy"))).isZero();
    }

    @Test
    void sourceIpMatchesIpv4AndIpv6Cidrs() throws Exception {
        CompiledRules rules = compile(rule(1, sourceIp("10.0.0.0/8", "2001:db8::/32")), rule(2, sourceIp("::/0")));
        request.reset("GET", "h", "/", null, null, InetAddress.getByName("10.20.30.40"));
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        request.setSourceAddress(InetAddress.getByName("2001:db8::42"));
        assertThat(rules.matchIndex(request)).isEqualTo(1);
        request.setSourceAddress(InetAddress.getByName("2001:db9::42"));
        assertThat(rules.matchIndex(request)).isEqualTo(2);
        request.setSourceAddress(InetAddress.getByName("192.168.0.1"));
        assertThat(rules.matchIndex(request)).isZero();
        request.setSourceAddress(null);
        assertThat(rules.matchIndex(request)).isZero();
    }
}
