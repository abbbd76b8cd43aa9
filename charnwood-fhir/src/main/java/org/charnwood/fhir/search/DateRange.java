package org.charnwood.fhir.search;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The span of time a FHIR date, dateTime, instant or Period covers, with both ends inclusive.
 * A value covers all of its precision: {@code 2020-03} is the whole of March 2020. Values without
 * a time zone (dates, partial dates, and search values such as {@code 2024-07-01T09:00}) are read in the
 * server's local time zone, as R4 search.html says: {@code 2024-07-01} in England is that day from local
 * midnight to local midnight, 23 hours long on the day the clocks go forward and 25 the day they go back.
 * A null end is open (stored as {@code -infinity}/{@code infinity}).
 */
public record DateRange(Instant lo, Instant hi) {

    private static final Pattern DATE = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");
    private static final Instant POSTGRES_MIN = Instant.parse("-4712-01-01T00:00:00Z");
    /** The zone of a trust in England until the application sets its own. */
    public static final ZoneId DEFAULT_LOCAL_ZONE = ZoneId.of("Europe/London");
    /*
     * One zone for the whole process, not one per caller: a stored value and a search value without a zone
     * must be read in the same zone or they stop matching, and the index rows already written hold it.
     */
    private static volatile ZoneId localZone = DEFAULT_LOCAL_ZONE;

    /**
     * Sets the zone values without one are read in (the application's {@code charnwood.fhir.local-time-zone}).
     * Changing it leaves index rows written before in the old zone until they are written again.
     */
    public static void assumeLocalZone(ZoneId zone) {
        localZone = java.util.Objects.requireNonNull(zone, "zone");
    }

    /** The zone values without one are read in. */
    public static ZoneId localZone() {
        return localZone;
    }

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
        ZoneId local = localZone;
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(2) == null) {
                LocalDateTime start = LocalDate.of(year, 1, 1).atStartOfDay();
                return span(start, start.plusYears(1), local);
            }
            int month = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                LocalDateTime start = LocalDate.of(year, month, 1).atStartOfDay();
                return span(start, start.plusMonths(1), local);
            }
            LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return span(day.atStartOfDay(), day.plusDays(1).atStartOfDay(), local);
            }
            ZoneId zone = m.group(8) == null ? local : ZoneOffset.of(m.group(8));
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
            // java.time's own message names its fields (MonthOfYear, HourOfDay), not what FHIR calls them.
            throw new IllegalArgumentException("'" + text + "' is not a valid date: there is no such day, month, time"
                    + " or time zone (months run 01 to 12, days to the month's last, hours 00 to 23, minutes and"
                    + " seconds 00 to 59)");
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

    private static DateRange span(LocalDateTime start, LocalDateTime endExclusive, ZoneId zone) {
        // A local time the clocks skip (01:30 the day they go forward) is read an hour later, one they pass
        // twice (01:30 the day they go back) as the first: java.time's rule for ZonedDateTime.
        Instant lo = start.atZone(zone).toInstant();
        Instant hi = endExclusive.atZone(zone).toInstant().minus(1, ChronoUnit.MICROS);
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
