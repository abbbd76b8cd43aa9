package org.charnwood.app.rostering;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.scheduling.roster.ShiftKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank rules over HTTP, as a bank nurse's phone meets them: only shifts they are qualified for are offered
 * and bookable, rest and night limits hold against their other shifts, one shift at a time, and cancelling is
 * refused inside the notice period. Every refusal is an NHS.UK error summary with the rule in words.
 */
class BankShiftBookingIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller BANK_NURSE = TestTokens.Caller.staff("Practitioner/bank-n1",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller BANK_HCA = TestTokens.Caller.staff("Practitioner/bank-h1",
            AccessRole.HEALTH_CARE_ASSISTANT);
    private static final TestTokens.Caller WARD_NURSE = TestTokens.Caller.staff("Practitioner/ward-003",
            AccessRole.REGISTERED_NURSE);

    private RosteringFixture fixture;
    private final LocalDate nextWeek = RosteringFixture.today().plusDays(7);

    @BeforeEach
    void bankStaffOnTheRegister() {
        fixture = new RosteringFixture(http, jdbc, tokens, port);
        fixture.clean();
        fixture.bankMember("bank-n1", 6, true);
        fixture.bankMember("bank-h1", 3, false);
    }

    @Test
    void bankStaffSeeOnlyTheVacantShiftsTheyAreQualifiedFor() {
        long senior = fixture.vacancy(nextWeek, ShiftKind.EARLY, true);
        long ordinary = fixture.vacancy(nextWeek, ShiftKind.LATE, false);
        fixture.shift(nextWeek, ShiftKind.NIGHT, false, "ward-004", "ROSTERED");

        String nurse = fixture.phone(BANK_NURSE).get("/shifts").body();
        assertThat(nurse).contains("id=\"shift-" + senior + "\"", "id=\"shift-" + ordinary + "\"");
        String hca = fixture.phone(BANK_HCA).get("/shifts").body();
        assertThat(hca).contains("id=\"shift-" + ordinary + "\"").doesNotContain("id=\"shift-" + senior + "\"");
        String ward = fixture.phone(WARD_NURSE).get("/shifts").body();
        assertThat(ward).as("not on the bank: no bank shifts offered").doesNotContain("Bank shifts you can book");
    }

    @Test
    void aBankNurseBooksAVacantShiftAndItIsRecorded() {
        long shift = fixture.vacancy(nextWeek, ShiftKind.EARLY, true);
        RosteringFixture.Phone phone = fixture.phone(BANK_NURSE);
        java.time.Instant before = java.time.Instant.now();

        HttpResponse<String> booked = phone.book(shift);
        assertThat(booked.statusCode()).isEqualTo(302);
        assertThat(fixture.statusOf(shift)).isEqualTo("BOOKED:bank-n1");
        assertThat(phone.get("/shifts").body()).contains("You are booked on the early shift", "id=\"mine-" + shift + "\"");
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift_event where event = 'shift-booked' "
                + "and shift_id = ?", Integer.class, shift)).isEqualTo(1);
        // The audit trail outlives each test: take the events recorded since this booking started.
        java.util.List<org.hl7.fhir.r4.model.AuditEvent> audit = http.get("/fhir/AuditEvent?subtype=shift-booked&date=ge"
                + before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).bundle().getEntry().stream()
                .map(e -> (org.hl7.fhir.r4.model.AuditEvent) e.getResource())
                .filter(e -> !e.getRecorded().toInstant().isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))
                .toList();
        assertThat(audit).as("an AuditEvent for the booking").hasSize(1);
        org.hl7.fhir.r4.model.AuditEvent event = audit.get(0);
        assertThat(event.getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/bank-n1");
        assertThat(event.getEntityFirstRep().getDescription()).contains("shift " + shift);
        // The booking and its audit record were committed by one transaction.
        assertThat(jdbc.queryForObject("select xmin::text from audit.event where seq = ?", String.class,
                Long.parseLong(event.getIdElement().getIdPart()))).isEqualTo(jdbc.queryForObject(
                "select xmin::text from rostering.shift_event where event = 'shift-booked' and shift_id = ?",
                String.class, shift));
    }

    @Test
    void aHealthcareAssistantCannotBookAPlaceThatNeedsASeniorNurse() {
        long shift = fixture.vacancy(nextWeek, ShiftKind.EARLY, true);
        HttpResponse<String> refused = fixture.phone(BANK_HCA).book(shift);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("nhsuk-error-summary", "needs a registered nurse of band 6");
        assertThat(fixture.statusOf(shift)).isEqualTo("VACANT:-");
    }

    @Test
    void aBookingThatLeavesLessThanElevenHoursRestIsRefused() {
        fixture.shift(nextWeek, ShiftKind.LATE, false, "bank-n1", "BOOKED");       // ends 21:30
        long early = fixture.vacancy(nextWeek.plusDays(1), ShiftKind.EARLY, false); // starts 07:00: 9.5 h later
        long late = fixture.vacancy(nextWeek.plusDays(1), ShiftKind.LATE, false);   // 16 h later: fine

        RosteringFixture.Phone phone = fixture.phone(BANK_NURSE);
        HttpResponse<String> refused = phone.book(early);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("less than 11 hours of rest");
        assertThat(phone.book(late).statusCode()).isEqualTo(302);
    }

    @Test
    void overlappingShiftsCannotBeDoubleBooked() {
        fixture.shift(nextWeek, ShiftKind.EARLY, false, "bank-n1", "ROSTERED");
        long longDay = fixture.vacancy(nextWeek, ShiftKind.LONG_DAY, false);
        HttpResponse<String> refused = fixture.phone(BANK_NURSE).book(longDay);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("overlaps this shift");
        assertThat(fixture.statusOf(longDay)).isEqualTo("VACANT:-");
    }

    @Test
    void aFifthNightInARowIsRefused() {
        for (int i = 0; i < 4; i++) {
            fixture.shift(nextWeek.plusDays(i), ShiftKind.NIGHT, false, "bank-n1", "BOOKED");
        }
        long fifth = fixture.vacancy(nextWeek.plusDays(4), ShiftKind.NIGHT, false);
        HttpResponse<String> refused = fixture.phone(BANK_NURSE).book(fifth);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("5 nights in a row");
    }

    @Test
    void aShiftAlreadyBookedIsRefusedToTheNextPerson() {
        long shift = fixture.vacancy(nextWeek, ShiftKind.LATE, false);
        assertThat(fixture.phone(BANK_NURSE).book(shift).statusCode()).isEqualTo(302);
        HttpResponse<String> refused = fixture.phone(BANK_HCA).book(shift);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("already been booked by someone else");
        assertThat(fixture.statusOf(shift)).isEqualTo("BOOKED:bank-n1");
    }

    @Test
    void staffNotOnTheBankCannotBook() {
        long shift = fixture.vacancy(nextWeek, ShiftKind.LATE, false);
        HttpResponse<String> refused = fixture.phone(WARD_NURSE).book(shift);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Only staff on the bank");
    }

    @Test
    void cancellingWithEnoughNoticeGivesTheShiftBackToTheBank() {
        long shift = fixture.vacancy(nextWeek, ShiftKind.LATE, false);
        RosteringFixture.Phone phone = fixture.phone(BANK_NURSE);
        phone.book(shift);
        assertThat(phone.cancel(shift).statusCode()).isEqualTo(302);
        assertThat(fixture.statusOf(shift)).isEqualTo("VACANT:-");
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift_event where event = 'shift-cancelled'",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void cancellingInsideTheNoticePeriodIsRefused() {
        // Tomorrow's night starts in less than 48 hours whatever the time now.
        long shift = fixture.shift(RosteringFixture.today().plusDays(1), ShiftKind.NIGHT, false, "bank-n1", "BOOKED");
        RosteringFixture.Phone phone = fixture.phone(BANK_NURSE);
        assertThat(phone.get("/shifts").body()).contains("call the ward to cancel");
        HttpResponse<String> refused = phone.cancel(shift);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("nhsuk-error-summary", "can no longer be cancelled here");
        assertThat(fixture.statusOf(shift)).isEqualTo("BOOKED:bank-n1");
    }

    @Test
    void nobodyCanCancelSomeoneElsesBooking() {
        long shift = fixture.shift(nextWeek, ShiftKind.LATE, false, "bank-n1", "BOOKED");
        assertThat(fixture.phone(BANK_HCA).cancel(shift).statusCode()).isEqualTo(409);
        assertThat(fixture.statusOf(shift)).isEqualTo("BOOKED:bank-n1");
    }
}
