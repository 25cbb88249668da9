package io.fulcrum.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The cron expressions of scheduled actions: fields, names, steps, the day rule, time zones and errors. */
class CronExpressionTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static String next(String cron, String after, ZoneId zone) {
        return CronExpression.parse(cron).next(ZonedDateTime.parse(after), zone).orElseThrow().toInstant().toString();
    }

    @Test
    void weekdayMorningsInParis() {
        // 2026-01-02 is a Friday; Paris is UTC+1 in winter
        assertThat(next("0 9 * * MON-FRI", "2026-01-02T07:59:00Z", PARIS)).isEqualTo("2026-01-02T08:00:00Z");
        assertThat(next("0 9 * * MON-FRI", "2026-01-02T08:00:00Z", PARIS)).isEqualTo("2026-01-05T08:00:00Z");
        // in summer UTC+2
        assertThat(next("0 9 * * MON-FRI", "2026-07-01T00:00:00Z", PARIS)).isEqualTo("2026-07-01T07:00:00Z");
    }

    @Test
    void stepsListsRangesAndNames() {
        assertThat(next("*/15 * * * *", "2026-01-01T00:07:30Z", ZoneOffset.UTC)).isEqualTo("2026-01-01T00:15:00Z");
        assertThat(next("5,35 2-4 * * *", "2026-01-01T04:36:00Z", ZoneOffset.UTC)).isEqualTo("2026-01-02T02:05:00Z");
        assertThat(next("0 0 1 jan,JUL *", "2026-02-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-07-01T00:00:00Z");
        assertThat(next("0 12 * * 7", "2026-01-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-01-04T12:00:00Z"); // Sunday
        assertThat(next("0 0 29 2 *", "2026-01-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2028-02-29T00:00:00Z");
    }

    @Test
    void bothDayFieldsRestrictedMeansEither() {
        // the 13th or a Friday: 2026-02-06 is a Friday, before the 13th
        assertThat(next("0 0 13 * FRI", "2026-02-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-02-06T00:00:00Z");
        assertThat(next("0 0 13 * FRI", "2026-02-12T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-02-13T00:00:00Z");
    }

    @Test
    void aTimeInTheSpringGapRunsJustAfterIt() {
        // 2026-03-29 02:30 does not exist in Paris: clocks go from 02:00 to 03:00 (01:00Z)
        assertThat(next("30 2 * * *", "2026-03-29T00:00:00Z", PARIS)).isEqualTo("2026-03-29T01:30:00Z");
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> CronExpression.parse("0 9 * *")).hasMessage("\"0 9 * *\" has 4 fields (expected: 5"
                + " fields, minute hour day-of-month month day-of-week, like \"0 9 * * MON-FRI\")");
        assertThatThrownBy(() -> CronExpression.parse("0 24 * * *")).hasMessage("hour \"24\": \"24\" (expected: 0-23)");
        assertThatThrownBy(() -> CronExpression.parse("0 9 * * MON-FRY"))
                .hasMessage("day of week \"MON-FRY\": \"FRY\" (expected: 0-7 or SUN-SAT)");
        assertThatThrownBy(() -> CronExpression.parse("0 9 * * FRI-MON"))
                .hasMessage("day of week \"FRI-MON\": the range FRI-MON runs backwards (expected: a range low-high)");
    }
}
