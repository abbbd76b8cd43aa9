package org.charnwood.app.triage;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.triage.ClockEvent.Kind.FACE_TO_FACE_CONTACT;
import static org.charnwood.app.triage.ClockEvent.Kind.TRIAGE_DECISION;
import static org.charnwood.app.triage.ClockEvent.Kind.VIRTUAL_CONTACT;
import static org.charnwood.app.triage.ReferralClock.REABLEMENT;
import static org.charnwood.app.triage.ReferralClock.REFERRAL_TO_FIRST_CONTACT;
import static org.charnwood.app.triage.ReferralClock.REFERRAL_TO_TRIAGE;
import static org.charnwood.app.triage.ReferralClock.URGENT_RESPONSE;

/** The clock arithmetic with fixed instants, in the trust's zone, across the boundaries that catch clocks out. */
class ClockCalculatorTests {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ClockTarget TWO_HOURS = ClockTarget.of(Duration.ofHours(2));
    private static final ClockTarget TWO_CALENDAR_DAYS = new ClockTarget(Duration.ofDays(2), 0.8,
            ClockTarget.Counting.CALENDAR_DAYS);
    private static final ClockTarget FORTY_EIGHT_HOURS = ClockTarget.of(Duration.ofHours(48));

    private final ClockCalculator calculator = new ClockCalculator(LONDON);

    private static Instant london(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(LONDON).toInstant();
    }

    private static ClockEvent seen(String at) {
        return new ClockEvent(london(at), FACE_TO_FACE_CONTACT);
    }

    @Test
    void weekendNightsDoNotPauseTheTwoHourClock() {
        Instant received = london("2026-11-07T23:10:00"); // a Saturday night
        ClockReading met = calculator.measure(URGENT_RESPONSE, received, List.of(seen("2026-11-08T01:05:00")),
                london("2026-11-08T09:00:00"), TWO_HOURS);
        assertThat(met.state()).isEqualTo(ClockState.MET);
        assertThat(met.elapsed()).isEqualTo(Duration.ofMinutes(115));

        ClockReading breached = calculator.measure(URGENT_RESPONSE, received, List.of(seen("2026-11-09T08:00:00")),
                london("2026-11-09T09:00:00"), TWO_HOURS);
        assertThat(breached.state()).isEqualTo(ClockState.BREACHED);
        assertThat(breached.elapsed()).isEqualTo(Duration.ofHours(32).plusMinutes(50));
    }

    @Test
    void aRunningClockOverTheWeekendBreachesTwoHoursAfterReceipt() {
        Instant received = london("2026-11-06T19:30:00"); // Friday evening
        assertThat(calculator.measure(URGENT_RESPONSE, received, List.of(), london("2026-11-06T21:30:01"), TWO_HOURS)
                .state()).isEqualTo(ClockState.BREACHED);
    }

    @Test
    void aTelephoneCallDoesNotStopTheTwoHourClockButDoesStopReferralToFirstContact() {
        Instant received = london("2026-06-01T10:00:00");
        List<ClockEvent> events = List.of(new ClockEvent(london("2026-06-01T10:20:00"), VIRTUAL_CONTACT),
                seen("2026-06-01T12:30:00"));
        ClockReading urgent = calculator.measure(URGENT_RESPONSE, received, events, london("2026-06-01T13:00:00"),
                TWO_HOURS);
        assertThat(urgent.state()).isEqualTo(ClockState.BREACHED);
        assertThat(urgent.stoppedAt()).isEqualTo(london("2026-06-01T12:30:00"));
        ClockReading firstContact = calculator.measure(REFERRAL_TO_FIRST_CONTACT, received, events,
                london("2026-06-01T13:00:00"), ClockTarget.of(Duration.ofDays(5)));
        assertThat(firstContact.stoppedAt()).isEqualTo(london("2026-06-01T10:20:00"));
        assertThat(firstContact.state()).isEqualTo(ClockState.MET);
    }

    @Test
    void stoppingExactlyAtTheTargetMeetsIt() {
        Instant received = london("2026-06-01T10:00:00");
        ClockReading reading = calculator.measure(URGENT_RESPONSE, received, List.of(seen("2026-06-01T12:00:00")),
                london("2026-06-01T15:00:00"), TWO_HOURS);
        assertThat(reading.state()).isEqualTo(ClockState.MET);
        assertThat(reading.remaining()).isZero();
    }

    @Test
    void aRunningClockIsNearBreachUpToItsDueTimeAndBreachedTheSecondAfter() {
        Instant received = london("2026-06-01T10:00:00");
        assertThat(calculator.measure(URGENT_RESPONSE, received, List.of(), london("2026-06-01T11:35:59"), TWO_HOURS)
                .state()).isEqualTo(ClockState.RUNNING);
        assertThat(calculator.measure(URGENT_RESPONSE, received, List.of(), london("2026-06-01T11:36:00"), TWO_HOURS)
                .state()).as("80% of two hours is 96 minutes").isEqualTo(ClockState.NEAR_BREACH);
        ClockReading atTarget = calculator.measure(URGENT_RESPONSE, received, List.of(), london("2026-06-01T12:00:00"),
                TWO_HOURS);
        assertThat(atTarget.state()).isEqualTo(ClockState.NEAR_BREACH);
        assertThat(atTarget.remaining()).isZero();
        ClockReading after = calculator.measure(URGENT_RESPONSE, received, List.of(), london("2026-06-01T12:00:01"),
                TWO_HOURS);
        assertThat(after.state()).isEqualTo(ClockState.BREACHED);
        assertThat(after.remaining()).isEqualTo(Duration.ofSeconds(-1));
    }

    @Test
    void theSpringClockChangeCountsAsTheHourItReallyIs() {
        // 29 March 2026: clocks go forward at 01:00 GMT. 00:30 GMT to 03:30 BST is two hours, not three.
        ClockReading reading = calculator.measure(URGENT_RESPONSE, london("2026-03-29T00:30:00"),
                List.of(seen("2026-03-29T03:30:00")), london("2026-03-29T06:00:00"), TWO_HOURS);
        assertThat(reading.elapsed()).isEqualTo(Duration.ofHours(2));
        assertThat(reading.state()).isEqualTo(ClockState.MET);
    }

    @Test
    void theAutumnClockChangeCountsTheRepeatedHour() {
        // 25 October 2026: clocks go back at 02:00 BST. 00:30 BST to 01:45 GMT is two hours fifteen minutes.
        Instant received = Instant.parse("2026-10-24T23:30:00Z");
        ClockReading reading = calculator.measure(URGENT_RESPONSE, received,
                List.of(new ClockEvent(Instant.parse("2026-10-25T01:45:00Z"), FACE_TO_FACE_CONTACT)),
                Instant.parse("2026-10-25T06:00:00Z"), TWO_HOURS);
        assertThat(reading.elapsed()).isEqualTo(Duration.ofMinutes(135));
        assertThat(reading.state()).isEqualTo(ClockState.BREACHED);
    }

    @Test
    void calendarDayReablementIsMetByAContactOnTheSecondDayAfterReceiptWhateverTheHour() {
        Instant received = london("2026-06-01T23:50:00"); // Monday, just before midnight
        assertThat(calculator.measure(REABLEMENT, received, List.of(seen("2026-06-03T23:00:00")),
                london("2026-06-04T09:00:00"), TWO_CALENDAR_DAYS).state()).isEqualTo(ClockState.MET);
        assertThat(calculator.measure(REABLEMENT, received, List.of(seen("2026-06-04T00:05:00")),
                london("2026-06-04T09:00:00"), TWO_CALENDAR_DAYS).state()).isEqualTo(ClockState.BREACHED);

        Instant morning = london("2026-06-01T08:00:00");
        ClockEvent wednesdayMorning = seen("2026-06-03T09:00:00");
        assertThat(calculator.measure(REABLEMENT, morning, List.of(wednesdayMorning), london("2026-06-04T09:00:00"),
                TWO_CALENDAR_DAYS).state()).isEqualTo(ClockState.MET);
        assertThat(calculator.measure(REABLEMENT, morning, List.of(wednesdayMorning), london("2026-06-04T09:00:00"),
                FORTY_EIGHT_HOURS).state()).as("49 hours is over 48").isEqualTo(ClockState.BREACHED);
    }

    @Test
    void calendarDaysEndAtLocalMidnightAcrossTheSpringClockChange() {
        ClockReading reading = calculator.measure(REABLEMENT, london("2026-03-28T10:00:00"), List.of(),
                london("2026-03-29T12:00:00"), TWO_CALENDAR_DAYS);
        assertThat(reading.dueBy()).isEqualTo(Instant.parse("2026-03-30T22:59:59.999Z"));
        assertThat(reading.state()).isEqualTo(ClockState.RUNNING);
    }

    @Test
    void theTriageClockStopsAtTheFirstDecisionAndIgnoresContacts() {
        Instant received = london("2026-06-01T10:00:00");
        List<ClockEvent> events = List.of(seen("2026-06-01T11:00:00"),
                new ClockEvent(london("2026-06-02T09:00:00"), TRIAGE_DECISION),
                new ClockEvent(london("2026-06-03T09:00:00"), TRIAGE_DECISION));
        ClockReading reading = calculator.measure(REFERRAL_TO_TRIAGE, received, events, london("2026-06-05T10:00:00"),
                ClockTarget.of(Duration.ofDays(2)));
        assertThat(reading.stoppedAt()).isEqualTo(london("2026-06-02T09:00:00"));
        assertThat(reading.state()).isEqualTo(ClockState.MET);
        assertThat(reading.elapsed()).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void eventsBeforeReceiptDoNotStopTheClock() {
        Instant received = london("2026-06-01T10:00:00");
        ClockReading reading = calculator.measure(URGENT_RESPONSE, received, List.of(seen("2026-06-01T09:00:00")),
                london("2026-06-01T10:30:00"), TWO_HOURS);
        assertThat(reading.running()).isTrue();
        assertThat(reading.state()).isEqualTo(ClockState.RUNNING);
        assertThat(reading.remaining()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void weeksWaitedAreWholeWeeks() {
        Instant received = london("2026-06-01T10:00:00");
        ClockReading reading = calculator.measure(REFERRAL_TO_FIRST_CONTACT, received, List.of(),
                london("2026-06-21T09:00:00"), ClockTarget.of(Duration.ofDays(28)));
        assertThat(reading.weeksWaited()).isEqualTo(2);
    }
}
