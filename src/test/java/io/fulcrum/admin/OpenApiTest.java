package io.fulcrum.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document is docs/openapi.yaml, and it documents exactly the router's routes. */
class OpenApiTest {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    @TempDir
    Path dataDirectory;

    @Test
    void theServedDocumentIsTheCheckedInOneAndCoversEveryRoute() throws Exception {
        String checkedIn = Files.readString(Path.of("docs/openapi.yaml"));
        try (AdminFixture fulcrum = AdminFixture.start(dataDirectory, Configs.base())) {
            AdminFixture.Response served = fulcrum.get("/openapi.yaml");
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.text()).isEqualTo(checkedIn);

            JsonNode paths = new YAMLMapper().readTree(checkedIn).get("paths");
            List<String> routes = new ArrayList<>();
            for (Router.Route route : fulcrum.admin.routes()) {
                routes.add(route.method() + " " + route.template());
            }
            List<String> documented = new ArrayList<>();
            paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }));
            assertThat(documented).containsExactlyInAnyOrderElementsOf(routes);
        }
    }
}
