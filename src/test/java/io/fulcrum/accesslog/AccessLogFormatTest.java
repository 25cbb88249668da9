package io.fulcrum.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One entry formatted as ALB writes it, and read back field by field. */
class AccessLogFormatTest {
    static final long T = Instant.parse("2024-05-01T10:20:30.456Z").toEpochMilli();

    static AccessLogEntry forwarded() {
        return new AccessLogEntry("http", T, "shop", "10.0.0.7", 50123, "127.0.0.1:9001", 1_200_000, 35_400_000,
                900_000, 200, 200, 120, 5000, "GET", "http", "shop.example:8080", 8080, "/cart?id=1", "HTTP/1.1",
                "curl/8.0 \"quoted\"", "web", "abc123", 10, T - 40, "forward", null, null, "127.0.0.1:9001",
                "200", "e4b1f2");
    }

    @Test
    void formatsEveryFieldInAlbsOrder() {
        String line = AccessLogFormat.format(forwarded());
        assertThat(line).isEqualTo("http 2024-05-01T10:20:30.456000Z shop 10.0.0.7:50123 127.0.0.1:9001 0.001 0.035"
                + " 0.000 200 200 120 5000 \"GET http://shop.example:8080/cart?id=1 HTTP/1.1\""
                + " \"curl/8.0 \\\"quoted\\\"\" - - web \"abc123\" \"-\" \"-\" 10 2024-05-01T10:20:30.416000Z"
                + " \"forward\" \"-\" \"-\" \"127.0.0.1:9001\" \"200\" \"-\" \"-\" e4b1f2");
        List<String> fields = AccessLogLines.fields(line);
        assertThat(fields).hasSize(AccessLogFormat.FIELDS.length);
        assertThat(fields.get(13)).isEqualTo("curl/8.0 \"quoted\"");
    }

    @Test
    void writesDashesAndMinusOnesWhereNothingApplies() {
        AccessLogEntry timeout = new AccessLogEntry("http", T, "shop", "10.0.0.7", 1, null, -1, -1, -1, 408, -1, 12,
                80, null, "http", null, 80, null, null, null, null, "id", -1, T, null, null, "ClientTimeout", null,
                null, "c1");
        List<String> fields = AccessLogLines.fields(AccessLogFormat.format(timeout));
        assertThat(fields).hasSize(AccessLogFormat.FIELDS.length);
        assertThat(fields.subList(4, 10)).containsExactly("-", "-1", "-1", "-1", "408", "-");
        assertThat(fields.get(12)).isEqualTo("- - -");
        assertThat(fields.get(13)).isEqualTo("-");
        assertThat(fields.get(20)).isEqualTo("-");
        assertThat(fields.get(24)).isEqualTo("ClientTimeout");
    }

    @Test
    void escapesControlCharactersSoALineStaysOneLine() {
        AccessLogEntry entry = forwarded();
        AccessLogEntry nasty = new AccessLogEntry(entry.type(), T, "shop", "10.0.0.7", 1, null, -1, -1, -1, 400, -1, 0,
                0, "GET", "http", "h", 80, "/", "HTTP/1.1", "evil\nagent\\", null, "id", -1, T, null, null, null, null,
                null, null);
        String line = AccessLogFormat.format(nasty);
        assertThat(line).doesNotContain("\n");
        assertThat(AccessLogLines.fields(line).get(13)).isEqualTo("evil\nagent\\");
    }
}
