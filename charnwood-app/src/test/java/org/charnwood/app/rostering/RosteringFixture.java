package org.charnwood.app.rostering;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.scheduling.roster.ShiftKind;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ward team to roster ({@code CareTeam/team-ward-r}: two ward sisters, three staff nurses, three healthcare
 * assistants), bank staff on the register and bank shifts, plus a signed-in "phone" for the shift app. The
 * rostering schema is not emptied by the shared test base (it empties {@code public} only), so tests call
 * {@link #clean}.
 */
final class RosteringFixture {

    static final String TEAM = "team-ward-r";

    private final FhirHttp http;
    private final JdbcTemplate jdbc;
    private final TestTokens tokens;
    private final int port;

    RosteringFixture(FhirHttp http, JdbcTemplate jdbc, TestTokens tokens, int port) {
        this.http = http;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.port = port;
    }

    void clean() {
        jdbc.execute("truncate rostering.shift_event, rostering.shift, rostering.roster, rostering.staff_request, "
                + "rostering.staff_member restart identity cascade");
    }

    static LocalDate today() {
        return LocalDate.now(ShiftTimes.LONDON);
    }

    void wardTeam() {
        String[][] staff = {{"Ward Sister", "Ada", "Brook"}, {"Ward Sister", "Bea", "Croft"},
                {"Community Staff Nurse", "Cal", "Dale"}, {"Community Staff Nurse", "Di", "Eyre"},
                {"Community Staff Nurse", "Ed", "Ford"}, {"Healthcare Assistant", "Fay", "Gill"},
                {"Healthcare Assistant", "Gus", "Hale"}, {"Healthcare Assistant", "Hal", "Ives"}};
        StringBuilder participants = new StringBuilder();
        for (int i = 0; i < staff.length; i++) {
            String n = String.format("%03d", i + 1);
            put("Practitioner/ward-" + n, "{\"resourceType\":\"Practitioner\",\"id\":\"ward-" + n
                    + "\",\"name\":[{\"family\":\"" + staff[i][2] + "\",\"given\":[\"" + staff[i][1] + "\"]}]}");
            put("PractitionerRole/ward-role-" + n, "{\"resourceType\":\"PractitionerRole\",\"id\":\"ward-role-" + n
                    + "\",\"active\":true,\"practitioner\":{\"reference\":\"Practitioner/ward-" + n
                    + "\",\"display\":\"" + staff[i][1] + " " + staff[i][2] + "\"},\"code\":[{\"text\":\""
                    + staff[i][0] + "\"}]}");
            participants.append(i == 0 ? "" : ",").append("{\"member\":{\"reference\":\"PractitionerRole/ward-role-")
                    .append(n).append("\"}}");
        }
        put("CareTeam/" + TEAM, "{\"resourceType\":\"CareTeam\",\"id\":\"" + TEAM + "\",\"status\":\"active\","
                + "\"name\":\"Ward R team\",\"participant\":[" + participants + "]}");
    }

    private void put(String path, String json) {
        int status = http.put("/fhir/" + path, json, "application/fhir+json").status();
        assertThat(status).as("PUT " + path).isIn(200, 201);
    }

    void bankMember(String practitionerId, int band, boolean registered) {
        jdbc.update("insert into rostering.staff_member (practitioner_id, display_name, band, registered, "
                + "contracted_hours, bank) values (?, ?, ?, ?, 0, true)", practitionerId, "Bank " + practitionerId,
                band, registered);
    }

    long vacancy(LocalDate date, ShiftKind kind, boolean senior) {
        return shift(date, kind, senior, null, "VACANT");
    }

    long shift(LocalDate date, ShiftKind kind, boolean senior, String practitionerId, String status) {
        Long id = jdbc.queryForObject("""
                insert into rostering.shift (care_team_id, unit_name, shift_date, kind, starts_at, ends_at,
                  senior_required, practitioner_id, status) values (?, 'Ward R team', ?, ?, ?, ?, ?, ?, ?) returning id""",
                Long.class, TEAM, date, kind.name(), Timestamp.from(ShiftTimes.start(date, kind)),
                Timestamp.from(ShiftTimes.end(date, kind)), senior, practitionerId, status);
        return id;
    }

    String statusOf(long shiftId) {
        return jdbc.queryForObject("select status || ':' || coalesce(practitioner_id, '-') from rostering.shift "
                + "where id = ?", String.class, shiftId);
    }

    /** A cookie-keeping client signed in as the staff member, standing in for their phone. */
    Phone phone(TestTokens.Caller caller) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(caller), TestTokens.PASSWORD);
        return new Phone(browser);
    }

    /** The signed-in client: pages and form posts with the session's CSRF token. */
    final class Phone {
        private final HttpClient browser;
        private String csrf;

        Phone(HttpClient browser) {
            this.browser = browser;
        }

        HttpResponse<String> get(String path) {
            HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + path);
            Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(r.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return r;
        }

        HttpResponse<String> post(String path, Map<String, String> form) {
            if (csrf == null) {
                get("/shifts");
            }
            Map<String, String> body = new java.util.HashMap<>(form);
            body.put("_csrf", csrf);
            return tokens.postForm(browser, "http://localhost:" + port + path, body, true);
        }

        HttpResponse<String> book(long shiftId) {
            return post("/shifts/" + shiftId + "/book", Map.of());
        }

        HttpResponse<String> cancel(long shiftId) {
            return post("/shifts/" + shiftId + "/cancel", Map.of());
        }
    }
}
