package io.fulcrum.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Bearer-token authentication: 401s, open health endpoints, metrics, and the token file. */
class AdminAuthTest {
    @TempDir
    Path dataDirectory;

    private HttpRequest request(AdminFixture fulcrum, String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(fulcrum.admin.url() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    @Test
    void requestsWithoutOrWithAWrongTokenGet401AndAreLoggedWithoutTheToken() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.fulcrum.admin");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response none = fulcrum.exchange(request(fulcrum, "/v1/state", null));
            String wrongToken = "wrong-token-0123456789-secret";
            AdminFixture.Response wrong = fulcrum.exchange(request(fulcrum, "/v1/state", "Bearer " + wrongToken));
            AdminFixture.Response basic = fulcrum.exchange(request(fulcrum, "/v1/target-groups", "Basic " + AdminFixture.TOKEN));
            AdminFixture.Response unknownPath = fulcrum.exchange(request(fulcrum, "/v1/nothing-here", null));
            AdminFixture.Response good = fulcrum.exchange(request(fulcrum, "/v1/state", "Bearer " + AdminFixture.TOKEN));

            for (AdminFixture.Response response : List.of(none, wrong, basic, unknownPath)) {
                assertThat(response.status()).isEqualTo(401);
                assertThat(response.code()).isEqualTo("Unauthorized");
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        value -> assertThat(value).startsWith("Bearer"));
            }
            assertThat(good.status()).isEqualTo(200);
            List<String> lines;
            synchronized (appender.list) {
                lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            assertThat(lines).filteredOn(line -> line.contains("unauthorized")).hasSize(4)
                    .anySatisfy(line -> assertThat(line).contains("GET /v1/state from /127.0.0.1").contains("no bearer token"))
                    .anySatisfy(line -> assertThat(line).contains("GET /v1/state").contains("wrong bearer token"));
            assertThat(lines).noneMatch(line -> line.contains(wrongToken) || line.contains(AdminFixture.TOKEN));
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void healthAndReadinessNeedNoTokenButMetricsAndTheApiDocumentDo() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            assertThat(fulcrum.exchange(request(fulcrum, "/healthz", null)).status()).isEqualTo(200);
            assertThat(fulcrum.exchange(request(fulcrum, "/readyz", null)).status()).isEqualTo(200);
            assertThat(fulcrum.exchange(request(fulcrum, "/metrics", null)).status()).isEqualTo(401);
            assertThat(fulcrum.exchange(request(fulcrum, "/openapi.yaml", null)).status()).isEqualTo(401);
            AdminFixture.Response metrics = fulcrum.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.text()).isEqualTo("fulcrum_test_metric 1\n");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        }
    }

    @Test
    void metricsMayBeOpenedToScrapersWithoutTheToken() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base(), true)) {
            assertThat(fulcrum.exchange(request(fulcrum, "/metrics", null)).status()).isEqualTo(200);
            assertThat(fulcrum.exchange(request(fulcrum, "/v1/state", null)).status()).isEqualTo(401);
        }
    }

    @Test
    void readinessWaitsForTheInitialState() throws Exception {
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base());
             AdminServer notReady = AdminServer.builder().controlPlane(fulcrum.controlPlane)
                     .token(AdminToken.of(AdminFixture.TOKEN))
                     .address(new java.net.InetSocketAddress("127.0.0.1", 0)).start()) {
            HttpRequest readyz = HttpRequest.newBuilder(URI.create(notReady.url() + "/readyz")).GET().build();
            HttpRequest healthz = HttpRequest.newBuilder(URI.create(notReady.url() + "/healthz")).GET().build();
            assertThat(fulcrum.exchange(readyz).status()).isEqualTo(503);
            assertThat(fulcrum.exchange(healthz).status()).isEqualTo(200);
            notReady.markReady();
            assertThat(fulcrum.exchange(readyz).status()).isEqualTo(200);
        }
    }

    @Test
    void aGeneratedTokenIsReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
        AdminToken first = AdminToken.load(dataDirectory, null, null);
        Path file = dataDirectory.resolve("admin.token");
        assertThat(first.file()).isEqualTo(file);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String token = Files.readString(file).strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url without padding
        assertThat(first.matches("Bearer " + token)).isTrue();
        assertThat(first.matches("bearer " + token)).isTrue();
        assertThat(first.matches("Bearer " + token + "x")).isFalse();
        assertThat(first.matches(token)).isFalse();
        assertThat(first.toString()).doesNotContain(token);

        AdminToken again = AdminToken.load(dataDirectory, null, null);
        assertThat(again.matches("Bearer " + token)).isTrue();
        assertThat(Files.readString(file).strip()).isEqualTo(token);
    }

    @Test
    void anOperatorsTokenFileOrEnvironmentVariableWinsOverTheGeneratedOne() throws Exception {
        Path given = dataDirectory.resolve("operator.token");
        Files.writeString(given, "operator-token-0123456789\n");
        AdminToken fromFile = AdminToken.load(dataDirectory, given, "environment-token-0123456789");
        assertThat(fromFile.matches("Bearer operator-token-0123456789")).isTrue();
        AdminToken fromEnvironment = AdminToken.load(dataDirectory, null, "environment-token-0123456789");
        assertThat(fromEnvironment.matches("Bearer environment-token-0123456789")).isTrue();
        assertThat(fromEnvironment.source()).isEqualTo("environment variable FULCRUM_ADMIN_TOKEN");
        assertThat(Files.exists(dataDirectory.resolve("admin.token"))).isFalse();
        assertThatThrownBy(() -> AdminToken.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short\"");
    }
}
