package org.charnwood.fhir.search;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The span of time a FHIR date, dateTime, instant or Period covers, with both ends inclusive.
 * A value covers all of its precision: {@code 2020-03} is the whole of March 2020. Values without
 * a time zone are read as UTC. A null end is open (stored as {@code -infinity}/{@code infinity}).
 */
public record DateRange(Instant lo, Instant hi) {

    private static final Pattern DATE = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");
    private static final Instant POSTGRES_MIN = Instant.parse("-4712-01-01T00:00:00Z");

    /**
     * Reads a date in FHIR form; search values may stop at minutes and may leave out the zone.
     *
     * @throws IllegalArgumentException when the text is not such a date
     */
    public static DateRange parse(String text) {
        Matcher m = DATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or "
                    + "YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm])");
        }
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(2) == null) {
                LocalDateTime start = LocalDate.of(year, 1, 1).atStartOfDay();
                return span(start, start.plusYears(1), ZoneOffset.UTC);
            }
            int month = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                LocalDateTime start = LocalDate.of(year, month, 1).atStartOfDay();
                return span(start, start.plusMonths(1), ZoneOffset.UTC);
            }
            LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return span(day.atStartOfDay(), day.plusDays(1).atStartOfDay(), ZoneOffset.UTC);
            }
            ZoneOffset zone = m.group(8) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
            LocalDateTime minute = day.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
            if (m.group(6) == null) {
                return span(minute, minute.plusMinutes(1), zone);
            }
            LocalDateTime second = minute.plusSeconds(Integer.parseInt(m.group(6)));
            String fraction = m.group(7);
            if (fraction == null) {
                return span(second, second.plusSeconds(1), zone);
            }
            // PostgreSQL keeps microseconds: finer fractions are one instant.
            int digits = Math.min(fraction.length(), 6);
            long micros = Long.parseLong(fraction.substring(0, digits)) * (long) Math.pow(10, 6 - digits);
            LocalDateTime start = second.plus(micros, ChronoUnit.MICROS);
            long step = (long) Math.pow(10, 6 - digits);
            return span(start, start.plus(step, ChronoUnit.MICROS), zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid date: " + e.getMessage());
        }
    }

    /** A single instant (for example {@code fhir_resource.last_updated}). */
    static DateRange at(Instant instant) {
        return new DateRange(instant, instant);
    }

    /** The range of a Period; null when it has neither start nor end. */
    static DateRange period(String start, String end) {
        if (start == null && end == null) {
            return null;
        }
        return new DateRange(start == null ? null : parse(start).lo(), end == null ? null : parse(end).hi());
    }

    private static DateRange span(LocalDateTime start, LocalDateTime endExclusive, ZoneOffset zone) {
        Instant lo = start.toInstant(zone);
        Instant hi = endExclusive.toInstant(zone).minus(1, ChronoUnit.MICROS);
        if (lo.isBefore(POSTGRES_MIN)) {
            throw new IllegalArgumentException("year " + start.getYear() + " is out of range");
        }
        return new DateRange(lo, hi);
    }

    /** The lower end as PostgreSQL timestamptz text. */
    String loText() {
        return lo == null ? "-infinity" : lo.toString();
    }

    /** The upper end as PostgreSQL timestamptz text. */
    String hiText() {
        return hi == null ? "infinity" : hi.toString();
    }
}
