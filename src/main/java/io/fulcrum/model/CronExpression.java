package io.fulcrum.model;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Unix cron expression as AWS's scheduled actions take it: five fields, minute hour day-of-month
 * month day-of-week, each {@code *}, a value, a range {@code a-b}, a step {@code * /n} or {@code a-b/n},
 * or a comma-separated list of those; months JAN-DEC and days SUN-SAT by name, Sunday also 0 or 7.
 * When both day fields are restricted, a day matching either runs it, as in cron.
 */
public final class CronExpression {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far ahead {@link #next} looks: a 29 February on a given weekday can be 28 years away. */
    private static final int MAX_DAYS = 366 * 29;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthAny;
    private final boolean dayOfWeekAny;

    private CronExpression(String text, String[] fields) {
        this.text = text;
        this.minutes = field(fields[0], 0, 59, null, "minute");
        this.hours = field(fields[1], 0, 23, null, "hour");
        this.daysOfMonth = field(fields[2], 1, 31, null, "day of month");
        this.months = field(fields[3], 1, 12, MONTHS, "month");
        BitSet days = field(fields[4], 0, 7, DAYS, "day of week");
        if (days.get(7)) {
            days.set(0);
        }
        this.daysOfWeek = days;
        this.dayOfMonthAny = fields[2].equals("*");
        this.dayOfWeekAny = fields[4].equals("*");
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying which field is wrong and why
     */
    public static CronExpression parse(String text) {
        String[] fields = text == null ? new String[0] : text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException('"' + text + "\" has " + fields.length + " fields (expected: 5 fields,"
                    + " minute hour day-of-month month day-of-week, like \"0 9 * * MON-FRI\")");
        }
        return new CronExpression(text.trim(), fields);
    }

    /** The first minute strictly after {@code after} that matches, in {@code zone}; empty if none comes within 29 years. */
    public Optional<ZonedDateTime> next(ZonedDateTime after, ZoneId zone) {
        LocalDateTime start = after.withZoneSameInstant(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate day = start.toLocalDate();
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (!dayMatches(day)) {
                continue;
            }
            for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
                for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                    LocalDateTime candidate = LocalDateTime.of(day, LocalTime.of(hour, minute));
                    if (!candidate.isBefore(start)) {
                        // a time in a spring-forward gap moves later by the gap (02:30 runs at 03:30)
                        ZonedDateTime zoned = candidate.atZone(zone);
                        if (zoned.toInstant().isAfter(after.toInstant())) {
                            return Optional.of(zoned);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        if (!months.get(day.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
        if (dayOfMonthAny || dayOfWeekAny) {
            return dom && dow;
        }
        return dom || dow;
    }

    private static BitSet field(String field, int min, int max, List<String> names, String what) {
        BitSet bits = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max, null, what, field);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-', 1);
                from = number(dash < 0 ? range : range.substring(0, dash), min, max, names, what, field);
                to = dash < 0 ? (slash >= 0 ? max : from) : number(range.substring(dash + 1), min, max, names, what, field);
                if (to < from) {
                    throw new IllegalArgumentException(what + " \"" + field + "\": the range " + range
                            + " runs backwards (expected: a range low-high)");
                }
            }
            for (int value = from; value <= to; value += step) {
                bits.set(value);
            }
        }
        return bits;
    }

    private static int number(String text, int min, int max, List<String> names, String what, String field) {
        if (names != null) {
            int index = names.indexOf(text.toUpperCase(Locale.ROOT));
            if (index >= 0) {
                return names == MONTHS ? index + 1 : index;
            }
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            value = Integer.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " \"" + field + "\": \"" + text + "\" (expected: " + min + "-" + max
                    + (names == null ? "" : " or " + names.get(0) + "-" + names.get(names.size() - 1)) + ")");
        }
        return value;
    }

    @Override
    public String toString() {
        return text;
    }
}
