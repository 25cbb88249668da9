package io.fulcrum.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, /",
            "/api/users, /api/users",
            "/api/../admin, /admin",
            "/api/%2e%2e/admin, /admin",
            "/api/%2E%2E/admin, /admin",
            "/api/.%2e/admin, /admin",
            "/a/./b, /a/b",
            "/a/%2e/b, /a/b",
            "/a/b/.., /a/",
            "/a/.., /",
            "/a/., /a/",
            "/., /",
            "/a/b/../../c, /c",
            "/a%2Fb, /a/b",
            "/a%2f..%2fb, /b",
            "/%61%62%63, /abc",
            "/%7E%5F%2D, /~_-",
            "/a%3fb, /a%3Fb",
            "/a%20b, /a%20b",
            "/a%c3%a9, /a%C3%A9",
            "//a, //a",
            "/a//b, /a//b",
            "/a//../b, /a/b",
            "/a/.../b, /a/.../b",
            "/a/..b/c, /a/..b/c",
            "/.hidden/x, /.hidden/x",
            "/a/b/, /a/b/",
            "/é, /é",
    })
    void normalises(String raw, String expected) {
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {
            "", "*", "api/x", "http://example.com/x",
            "/..", "/../a", "/a/../../b", "/%2e%2e", "/a/%2e%2e/%2e%2e/b", "/a%2f..%2f..",
            "/a%zz", "/a%", "/a%2", "/a%g0", "/a%\u0661\u0661",
            "/a\u0000b", "/a\nb", "/a\rb", "/a b", "/a\u007fb", "/a\tb",
            "/a?b", "/a#b",
    })
    void refuses(String raw) {
        assertThat(PathNormalizer.normalize(raw)).isNull();
    }

    @Test
    void refusesNull() {
        assertThat(PathNormalizer.normalize(null)).isNull();
    }

    @Test
    void returnsTheSameInstanceWhenNothingChanges() {
        String path = "/api/v1/users/42";
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    }

    @Test
    void isIdempotent() {
        for (String raw : new String[] {"/a/%2e%2e/b/%2fc", "/x/./y/../z%3f", "/a//../b/"}) {
            String once = PathNormalizer.normalize(raw);
            assertThat(PathNormalizer.normalize(once)).isEqualTo(once);
        }
    }
}
