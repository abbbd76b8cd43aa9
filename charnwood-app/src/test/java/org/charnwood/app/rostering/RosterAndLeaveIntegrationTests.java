package org.charnwood.app.rostering;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From a leave request to the roster: a staff nurse asks for a week's leave in the shift app, the nurse manager
 * approves it, plans the ward team's four weeks (a short search) and publishes; the nurse works no shift that week,
 * and the places nobody on the team could fill are on the bank.
 */
class RosterAndLeaveIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller STAFF_NURSE = TestTokens.Caller.staff("Practitioner/ward-003",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller MANAGER = TestTokens.Caller.staff("Practitioner/ward-001",
            AccessRole.NURSE_MANAGER);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d/M/yyyy");

    private RosteringFixture fixture;
    private final LocalDate monday = RosteringFixture.today().plusDays(1).with(TemporalAdjusters.next(DayOfWeek.MONDAY));

    @BeforeEach
    void aWardTeam() {
        fixture = new RosteringFixture(http, jdbc, tokens, port);
        fixture.clean();
        fixture.wardTeam();
        fixture.bankMember("bank-r1", 6, true);
    }

    @Test
    void approvedLeaveIsRespectedByTheRosterAndVacanciesGoToTheBank() {
        LocalDate leaveFrom = monday.plusDays(7);
        LocalDate leaveTo = monday.plusDays(13);
        RosteringFixture.Phone nurse = fixture.phone(STAFF_NURSE);
        nurse.get("/shifts/requests/new");
        HttpResponse<String> asked = nurse.post("/shifts/requests", Map.of("kind", "LEAVE",
                "firstDay", DAY.format(leaveFrom), "lastDay", DAY.format(leaveTo), "note", "Family wedding"));
        assertThat(asked.statusCode()).isEqualTo(302);

        RosteringFixture.Phone manager = fixture.phone(MANAGER);
        String pending = manager.get("/staff/rosters/requests").body();
        assertThat(pending).contains("Annual leave: Cal Dale", "Family wedding");
        long requestId = jdbc.queryForObject("select id from rostering.staff_request", Long.class);
        assertThat(manager.post("/staff/rosters/requests/" + requestId, Map.of("decision", "approve")).statusCode())
                .isEqualTo(302);
        assertThat(nurse.get("/shifts").body()).contains("Approved");

        manager.get("/staff/rosters/" + RosteringFixture.TEAM);
        HttpResponse<String> planned = manager.post("/staff/rosters/" + RosteringFixture.TEAM, Map.of(
                "firstDay", DAY.format(monday), "weeks", "4", "searchSeconds", "3"));
        assertThat(planned.statusCode()).as(planned.body()).isEqualTo(302);
        String location = planned.headers().firstValue("Location").orElseThrow();
        String rosterPath = location.substring(location.indexOf("/staff/rosters/"));

        String roster = manager.get(rosterPath).body();
        assertThat(roster).contains("id=\"roster-table\"", "Cal Dale", "AL", "Why the roster scores as it does");
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift where practitioner_id = 'ward-003' "
                + "and shift_date between ? and ?", Integer.class, leaveFrom, leaveTo)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift where practitioner_id = 'ward-003'",
                Integer.class)).as("works outside the leave").isPositive();

        HttpResponse<String> published = manager.post(rosterPath + "/publish", Map.of());
        assertThat(published.statusCode()).isEqualTo(302);
        int vacancies = jdbc.queryForObject("select count(*) from rostering.shift where status = 'VACANT'",
                Integer.class);
        assertThat(vacancies).as("eight staff cannot cover 4 weeks of 2-3 per shift").isPositive();
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift where status = 'DRAFT'", Integer.class))
                .isZero();
        assertThat(manager.get(rosterPath).body()).contains("published roster", "offered to the bank");

        String bank = fixture.phone(TestTokens.Caller.staff("Practitioner/bank-r1", AccessRole.REGISTERED_NURSE))
                .get("/shifts").body();
        assertThat(bank).contains("Ward R team", "Bank shifts you can book");

        assertThat(manager.post(rosterPath + "/publish", Map.of()).statusCode()).as("publishing twice").isEqualTo(409);
        assertThat(manager.post(rosterPath.replaceAll("/\\d+$", "/999999") + "/publish", Map.of()).statusCode())
                .as("publishing a roster that does not exist").isEqualTo(404);
    }

    @Test
    void aLeaveRequestWithBadDatesShowsTheErrorSummary() {
        RosteringFixture.Phone nurse = fixture.phone(STAFF_NURSE);
        nurse.get("/shifts/requests/new");
        HttpResponse<String> refused = nurse.post("/shifts/requests", Map.of("kind", "LEAVE",
                "firstDay", "31/2/2027", "lastDay", ""));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("nhsuk-error-summary", "href=\"#firstDay\"",
                "Enter the first day as a real date");
        assertThat(jdbc.queryForObject("select count(*) from rostering.staff_request", Integer.class)).isZero();
    }

    @Test
    void onlyNurseManagersSeeRostersAndDecideRequests() {
        RosteringFixture.Phone nurse = fixture.phone(STAFF_NURSE);
        assertThat(nurse.get("/staff/rosters").statusCode()).isEqualTo(403);
        assertThat(nurse.get("/staff/rosters/requests").statusCode()).isEqualTo(403);
    }

    @Test
    void aRosterFormWithoutAFirstDayIsRefusedWithTheErrorSummary() {
        RosteringFixture.Phone manager = fixture.phone(MANAGER);
        manager.get("/staff/rosters/" + RosteringFixture.TEAM);
        HttpResponse<String> refused = manager.post("/staff/rosters/" + RosteringFixture.TEAM,
                Map.of("firstDay", "", "weeks", "9"));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("nhsuk-error-summary", "Enter the first day of the roster",
                "Select 4, 5 or 6 weeks");
        assertThat(jdbc.queryForObject("select count(*) from rostering.roster", Integer.class)).isZero();
    }
}
