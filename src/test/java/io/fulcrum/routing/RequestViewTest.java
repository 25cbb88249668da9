package io.fulcrum.routing;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class RequestViewTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "example.com, example.com",
            "Example.COM, example.com",
            "example.com:8080, example.com",
            "EXAMPLE.com:80, example.com",
            "[::1]:8080, [::1]",
            "[::1], [::1]",
            "[2001:DB8::1]:443, [2001:db8::1]",
            "127.0.0.1:9000, 127.0.0.1",
            "::1, ::1",
    })
    void hostLosesPortAndCase(String header, String expected) {
        assertThat(RequestView.normalizeHost(header)).isEqualTo(expected);
        assertThat(new RequestView().setHost(header).host()).isEqualTo(expected);
    }

    @Test
    void missingHostIsNull() {
        assertThat(RequestView.normalizeHost(null)).isNull();
        assertThat(RequestView.normalizeHost("")).isNull();
    }

    @Test
    void hostAlreadyNormalIsNotCopied() {
        String host = "api.example.com";
        assertThat(RequestView.normalizeHost(host)).isSameAs(host);
    }

    @Test
    void resetSetsEverything() throws Exception {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        InetAddress peer = InetAddress.getByName("127.0.0.1");
        RequestView view = new RequestView().reset("GET", "Shop.Example.com:8443", "/cart", "a=1", headers, peer);
        assertThat(view.method()).isEqualTo("GET");
        assertThat(view.host()).isEqualTo("shop.example.com");
        assertThat(view.path()).isEqualTo("/cart");
        assertThat(view.rawQuery()).isEqualTo("a=1");
        assertThat(view.headers()).isSameAs(headers);
        assertThat(view.sourceAddress()).isSameAs(peer);
    }

    @Test
    void requestTargetIsSplitAndNormalised() {
        RequestView view = new RequestView();
        assertThat(view.setRequestTarget("/api/%2e%2e/admin?x=1?y")).isTrue();
        assertThat(view.path()).isEqualTo("/admin");
        assertThat(view.rawQuery()).isEqualTo("x=1?y");
        assertThat(view.setRequestTarget("/plain")).isTrue();
        assertThat(view.rawQuery()).isNull();
        assertThat(view.setRequestTarget("/..?a")).isFalse();
        assertThat(view.path()).isNull();
    }

    @Test
    void queryIsDecodedLazilyAndReparsedAfterReset() {
        RequestView view = new RequestView().setRawQuery("a=1&b=x+y&&c&=v&k%3D=%E2%82%AC%F0%9F%98%80&bad=%zz%e2");
        QueryParams q = view.queryParams();
        assertThat(pairs(q)).containsExactly("a=1", "b=x y", "c=", "=v", "k==€😀", "bad=%zz\ufffd");
        view.setRawQuery("only=one");
        assertThat(pairs(view.queryParams())).containsExactly("only=one");
        view.setRawQuery(null);
        assertThat(view.queryParams().count()).isZero();
    }

    private static java.util.List<String> pairs(QueryParams q) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < q.count(); i++) {
            out.add(q.subSequence(q.keyStart(i), q.keyEnd(i)) + "=" + q.subSequence(q.valueStart(i), q.valueEnd(i)));
        }
        return out;
    }
}
