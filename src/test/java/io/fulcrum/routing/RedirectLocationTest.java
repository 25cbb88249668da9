package io.fulcrum.routing;

import io.fulcrum.model.Protocol;
import io.fulcrum.model.RedirectAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectLocationTest {

    private static RedirectAction redirect(String protocol, String host, String port, String path, String query) {
        return new RedirectAction(protocol, host, port, path, query, 301);
    }

    private static final RedirectAction KEEP_ALL = redirect(null, null, null, null, null);

    @Test
    void defaultsRebuildTheRequestUrl() {
        assertThat(RedirectLocation.build(KEEP_ALL, Protocol.HTTP, "example.com", 80, "/a/b", "x=1&y=2"))
                .isEqualTo("http://example.com/a/b?x=1&y=2");
        assertThat(RedirectLocation.build(KEEP_ALL, Protocol.HTTPS, "example.com", 443, "/", null))
                .isEqualTo("https://example.com/");
        assertThat(RedirectLocation.build(KEEP_ALL, Protocol.HTTP, "example.com", 8080, "/a", ""))
                .isEqualTo("http://example.com:8080/a");
    }

    @Test
    void httpToHttpsKeepsPathAndQuery() {
        RedirectAction toHttps = redirect("HTTPS", null, "443", null, null);
        assertThat(RedirectLocation.build(toHttps, Protocol.HTTP, "shop.example.com", 80, "/cart", "id=7"))
                .isEqualTo("https://shop.example.com/cart?id=7");
        // Without a port change the listener's port stays, as ALB does.
        assertThat(RedirectLocation.build(redirect("HTTPS", null, null, null, null), Protocol.HTTP, "h.test", 80, "/", null))
                .isEqualTo("https://h.test:80/");
    }

    @Test
    void placeholdersWorkInsideEveryPart() {
        RedirectAction action = redirect("#{protocol}", "www.#{host}", "#{port}", "/new/#{path}/index", "from=#{path}&#{query}");
        assertThat(RedirectLocation.build(action, Protocol.HTTPS, "example.com", 8443, "/old/page", "a=1"))
                .isEqualTo("https://www.example.com:8443/new/old/page/index?from=old/page&a=1");
        assertThat(RedirectLocation.build(redirect(null, null, null, "/#{unknown}/#{path}", null), Protocol.HTTP, "h.test", 80, "/x", null))
                .isEqualTo("http://h.test/#{unknown}/x");
    }

    @Test
    void literalTargetsAndEmptyQuery() {
        RedirectAction action = redirect("HTTP", "other.example.com", "80", "/landing", "");
        assertThat(RedirectLocation.build(action, Protocol.HTTPS, "example.com", 443, "/x", "a=1"))
                .isEqualTo("http://other.example.com/landing");
        RedirectAction noSlash = redirect(null, null, null, "#{path}", null);
        assertThat(RedirectLocation.build(noSlash, Protocol.HTTP, "h.test", 80, "/p", null)).isEqualTo("http://h.test/p");
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        RequestView request = new RequestView().reset("GET", "[::1]:8080", "/x", "q", null, null);
        assertThat(RedirectLocation.build(KEEP_ALL, Protocol.HTTP, 8080, request)).isEqualTo("http://[::1]:8080/x?q");
    }

    @Test
    void noHostGivesNullUnlessTheActionNamesOne() {
        assertThat(RedirectLocation.build(KEEP_ALL, Protocol.HTTP, null, 80, "/x", null)).isNull();
        assertThat(RedirectLocation.build(redirect(null, "fixed.example.com", null, null, null), Protocol.HTTP, null, 80, "/x", null))
                .isEqualTo("http://fixed.example.com/x");
    }
}
