package io.fulcrum.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.AccessLogSettings;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accessLog load balancer attribute: defaults, sizes with units, and the problems it is refused with. */
class AccessLogConfigTest {
    private static String config(String accessLog) {
        return """
                loadBalancers:
                  - name: web
                    attributes: {accessLog: %s}
                    listeners:
                      - port: 8080
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                  - name: api
                    attributes: {accessLog: {enabled: true, path: /tmp/fulcrum-test/api.log}}
                    listeners:
                      - port: 8081
                        bindAddress: 127.0.0.1
                        defaultActions: [{type: forward, targetGroupName: web}]
                targetGroups:
                  - name: web
                    targets: ["127.0.0.1:9001"]
                """.formatted(accessLog);
    }

    @Test
    void isOffByDefault() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(ConfigProblems.minimal("", ""));
        assertThat(config.loadBalancers().get(0).attributes().accessLog()).isEqualTo(AccessLogSettings.OFF);
    }

    @Test
    void bindsEveryFieldAndSizeUnits() throws Exception {
        FulcrumConfig config = ConfigLoader.parse(config(
                "{enabled: true, path: /var/log/fulcrum/web.log, maxFileSize: 512KiB, maxFiles: 4}"));
        assertThat(config.loadBalancers().get(0).attributes().accessLog())
                .isEqualTo(new AccessLogSettings(true, "/var/log/fulcrum/web.log", 512 * 1024, 4));
        assertThat(config.loadBalancers().get(1).attributes().accessLog())
                .isEqualTo(new AccessLogSettings(true, "/tmp/fulcrum-test/api.log", 100L << 20, 30));
        assertThat(ConfigLoader.parse(config("{maxFileSize: 1GiB}")).loadBalancers().get(0).attributes().accessLog()
                .maxFileSize()).isEqualTo(1L << 30);
        assertThat(ConfigLoader.parse(config("{maxFileSize: 4096}")).loadBalancers().get(0).attributes().accessLog()
                .maxFileSize()).isEqualTo(4096);
    }

    @Test
    void refusesWhatCannotWork() {
        assertThat(problems("{enabled: true}")).containsExactly(
                "loadBalancers[0].attributes.accessLog.path: missing (expected: the log file, like"
                        + " /var/log/fulcrum/access.log, when enabled)");
        assertThat(problems("{maxFileSize: 10MB}")).containsExactly(
                "loadBalancers[0].attributes.accessLog.maxFileSize: \"10MB\" (expected: a size in bytes, like 100MiB;"
                        + " units B, KiB, MiB, GiB)");
        assertThat(problems("{maxFileSize: 100, maxFiles: 0}")).containsExactly(
                "loadBalancers[0].attributes.accessLog.maxFileSize: 100 (expected: at least 1024 bytes, like 100MiB)",
                "loadBalancers[0].attributes.accessLog.maxFiles: 0 (expected: at least 1)");
        assertThat(problems("{enabled: true, path: /tmp/fulcrum-test/api.log}")).containsExactly(
                "loadBalancers[1].attributes.accessLog.path: \"/tmp/fulcrum-test/api.log\" is already the access log"
                        + " of loadBalancers[0].attributes.accessLog (expected: one file per load balancer)");
        assertThat(problems("{enabled: true, path: /x.log, size: 1}")).hasSize(1)
                .allMatch(p -> p.startsWith("loadBalancers[0].attributes.accessLog.size: unknown key"));
    }

    private static List<String> problems(String accessLog) {
        return ConfigProblems.of(config(accessLog)).stream().map(ConfigProblem::toString).toList();
    }
}
