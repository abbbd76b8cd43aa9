package org.charnwood.app.rostering;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.scheduling.roster.ShiftKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shift app and the manager's roster pages in a real browser at phone size: a bank nurse sees vacant shifts,
 * books one, cancels it and asks for leave (first with a mistake, to see the error summary); the nurse manager
 * approves the request, plans the ward team's roster, reads it and publishes it. axe-core checks every page.
 */
class ShiftAppBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller BANK_NURSE = TestTokens.Caller.staff("Practitioner/bank-b1",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller MANAGER = TestTokens.Caller.staff("Practitioner/ward-001",
            AccessRole.NURSE_MANAGER);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d/M/yyyy");

    private RosteringFixture fixture;

    @Override
    protected StaffBrowser newBrowser(int port) {
        return StaffBrowser.phone(port);
    }

    @BeforeEach
    void aWardTeamAndTheBank() {
        fixture = new RosteringFixture(http, jdbc, tokens, port);
        fixture.clean();
        fixture.wardTeam();
        fixture.bankMember("bank-b1", 6, true);
    }

    @Test
    void aBankNurseSeesVacantShiftsBooksCancelsAndAsksForLeaveOnAPhone() {
        LocalDate nextWeek = RosteringFixture.today().plusDays(7);
        long shift = fixture.vacancy(nextWeek, ShiftKind.LATE, false);
        fixture.vacancy(nextWeek.plusDays(2), ShiftKind.NIGHT, true);

        StaffBrowser b = browser().openAs("/shifts", tokens.account(BANK_NURSE), TestTokens.PASSWORD);
        assertThat(b.title()).isEqualTo("My shifts – Charnwood");
        assertThat(b.present("#shift-" + shift)).isTrue();
        b.assertAccessible();

        b.click("#shift-" + shift + " button");
        assertThat(b.text("#confirmation")).contains("You are booked on the late shift");
        assertThat(b.present("#mine-" + shift)).isTrue();
        assertThat(b.present("#shift-" + shift)).as("no longer offered").isFalse();
        b.assertAccessible();

        b.click("#mine-" + shift + " button");
        assertThat(b.text("#confirmation")).contains("cancelled");
        assertThat(b.present("#shift-" + shift)).isTrue();
        b.assertAccessible();

        b.click("#new-request");
        assertThat(b.path()).isEqualTo("/shifts/requests/new");
        b.assertAccessible();
        b.click("#request-form button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text(".nhsuk-error-summary")).contains("Select what you are asking for", "Enter the first day");
        b.assertAccessible();

        b.click("#kind").type("#firstDay", DAY.format(nextWeek.plusDays(14))).type("#lastDay",
                DAY.format(nextWeek.plusDays(18))).click("#request-form button");
        assertThat(b.text("#confirmation")).contains("Your request has been sent");
        assertThat(b.text("#my-requests")).contains("Annual leave", "Waiting for a decision");
        b.assertAccessible();
    }

    @Test
    void theNurseManagerApprovesLeavePlansAndPublishesARosterOnAPhone() {
        LocalDate monday = RosteringFixture.today().plusDays(1).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        jdbc.update("insert into rostering.staff_request (practitioner_id, kind, first_day, last_day, requested_at) "
                + "values ('ward-004', 'LEAVE', ?, ?, ?)", monday.plusDays(7), monday.plusDays(11),
                Timestamp.from(Instant.now()));

        StaffBrowser b = browser().openAs("/staff/rosters", tokens.account(MANAGER), TestTokens.PASSWORD);
        assertThat(b.text("#teams")).contains("Ward R team");
        b.assertAccessible();

        b.click("#pending-requests");
        assertThat(b.path()).isEqualTo("/staff/rosters/requests");
        b.assertAccessible();
        b.click("button[name='decision'][value='approve']");
        assertThat(b.text("#confirmation")).contains("approved");
        assertThat(b.present("#no-requests")).isTrue();
        b.assertAccessible();

        b.open("/staff/rosters/" + RosteringFixture.TEAM);
        b.assertAccessible();
        b.click("#plan-form button");
        assertThat(b.text(".nhsuk-error-summary")).contains("Enter the first day of the roster");
        b.assertAccessible();

        b.type("#firstDay", DAY.format(monday)).type("#searchSeconds", "2").click("#plan-form button");
        assertThat(b.path()).matches("/staff/rosters/" + RosteringFixture.TEAM + "/\\d+");
        assertThat(b.text("#roster-table")).contains("Di Eyre", "AL");
        b.assertAccessible();

        b.click("#publish button");
        assertThat(b.text("#confirmation")).contains("Roster published", "offered to the bank");
        b.assertAccessible();
    }
}
