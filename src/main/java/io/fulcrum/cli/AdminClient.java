package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;

/** A client of the admin API for the CLI: JSON in, JSON out, failures turned into messages and exit codes. */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    private AdminClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    /** A client for these options; the token is read from the env, the token file or the data directory. */
    static AdminClient of(AdminOptions options) throws CliException {
        String token = System.getenv(AdminOptions.TOKEN_VARIABLE);
        if (options.tokenFile != null || token == null || token.isBlank()) {
            var file = options.tokenFile != null ? options.tokenFile : options.dataDir.resolve("admin.token");
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.UNAUTHORIZED, "no admin token: " + file + " does not exist (give "
                        + "--token-file, --data-dir of the running Fulcrum, or the env " + AdminOptions.TOKEN_VARIABLE + ")");
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNAUTHORIZED, "cannot read the admin token from " + file + ": " + e);
            }
        }
        return new AdminClient(options.url, token);
    }

    JsonNode get(String path) throws CliException {
        return send("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) throws CliException {
        return send("POST", path, body);
    }

    JsonNode put(String path, JsonNode body) throws CliException {
        return send("PUT", path, body);
    }

    /** A PUT that only applies when the live revision is still {@code ifMatch} (when not null). */
    JsonNode put(String path, JsonNode body, Long ifMatch) throws CliException {
        return send("PUT", path, body, ifMatch);
    }

    private JsonNode send(String method, String path, JsonNode body) throws CliException {
        return send(method, path, body, null);
    }

    private JsonNode send(String method, String path, JsonNode body, Long ifMatch) throws CliException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, publisher);
        if (ifMatch != null) {
            builder.header("If-Match", Long.toString(ifMatch));
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach the admin API at " + base
                    + " (is `fulcrum run` running? its --admin-address?)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "admin API at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() >= 300) {
            throw new CliException(ExitCodes.forStatus(response.statusCode()), errorText(response.statusCode(), answer));
        }
        return answer;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** "TargetGroupNotFound: ..." and one line per problem with its field path. */
    private static String errorText(int status, JsonNode answer) {
        JsonNode error = answer.path("error");
        if (error.isMissingNode()) {
            return "HTTP " + status + ": " + answer.asText(answer.toString());
        }
        StringBuilder text = new StringBuilder(error.path("code").asText("Error"))
                .append(": ").append(error.path("message").asText());
        for (JsonNode problem : error.path("problems")) {
            text.append(System.lineSeparator()).append("  ").append(problem.path("path").asText())
                    .append(": ").append(problem.path("message").asText());
        }
        return text.toString();
    }
}
