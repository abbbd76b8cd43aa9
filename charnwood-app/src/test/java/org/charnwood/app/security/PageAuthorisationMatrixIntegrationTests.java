package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.*;

/**
 * The authorisation matrix's other half: every page and endpoint outside {@code /fhir} (staff pages, the patient
 * area, the public directory, sign-in and consent pages, the JSON APIs and the actuator), tried by every staff role,
 * a patient, a carer and nobody signed in, each with a signed-in browser session as the pages are used. Staff
 * practitioner {@code doc} works in the team holding patient p1's episode; {@code unrelated} is a clinician with no
 * relationship to anyone; p1's problems {@code cond-r} and {@code cond-v} are labelled restricted and very
 * restricted. Bearer-token access to the APIs is the FHIR matrix's ({@link AuthorisationMatrixIntegrationTests}).
 *
 * <p>Cells: a status code, or {@code in} for a redirect to the sign-in page. State-changing requests are posted
 * with the session's CSRF token but an empty form and, where a path names a record, one that does not exist: the
 * refusals are the point, and an allowed caller's answer (400, 404 or the form shown again with 422) shows it got
 * past the gate without writing anything (the two exceptions are noted in the table). Every one of them is also posted
 * without a CSRF token, which nobody may do. Not here: the boards' event streams, which stay open.
 */
class PageAuthorisationMatrixIntegrationTests extends CharnwoodIntegrationTest {

    /** The callers, in the column order of {@link #MATRIX}; null is nobody signed in. */
    static final Map<String, Caller> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("clinician", Caller.staff("Practitioner/doc", CLINICIAN));
        CALLERS.put("nurse", Caller.staff("Practitioner/doc", REGISTERED_NURSE));
        CALLERS.put("hp", Caller.staff("Practitioner/doc", HEALTH_PROFESSIONAL));
        CALLERS.put("nursemgr", Caller.staff("Practitioner/doc", NURSE_MANAGER));
        CALLERS.put("hca", Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT));
        CALLERS.put("booking", Caller.staff("Practitioner/doc", ADMIN_BOOKING));
        CALLERS.put("analyst", Caller.staff("Practitioner/doc", ANALYST));
        CALLERS.put("ig", Caller.staff("Practitioner/doc", INFORMATION_GOVERNANCE));
        CALLERS.put("sysadmin", Caller.staff("Practitioner/doc", SYSTEM_ADMINISTRATOR));
        CALLERS.put("unrelated", Caller.staff("Practitioner/other", CLINICIAN));
        CALLERS.put("patient", Caller.patient("p1"));
        CALLERS.put("carer", Caller.carer("carer1", "p1"));
        CALLERS.put("anonymous", null);
    }

    /**
     * Request → expected answer per caller, columns as {@link #CALLERS}:
     * clinician nurse hp nursemgr hca booking analyst ig sysadmin unrelated patient carer anonymous.
     */
    static final String[][] MATRIX = {
            // Staff pages: a patient or carer session is refused (403), nobody signed in is sent to sign in. Roles
            // that may not see patients at all (analyst, IG, system administrator) are told the record is not found.
            {"GET /staff",                                                        "302 302 302 302 302 302 302 302 302 302 403 403 in"},
            {"GET /staff/patients",                                               "200 200 200 200 200 200 403 403 403 200 403 403 in"},
            {"GET /staff/patients/p1",                                            "200 200 200 200 200 200 404 404 404 200 403 403 in"},
            {"GET /staff/patients/p2",                                            "200 200 200 200 200 200 404 404 404 200 403 403 in"},
            {"GET /staff/patients/p1/problems/new",                               "200 200 200 200 200 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/problems/cond-1",                            "200 200 200 200 200 403 404 404 404 403 403 403 in"},
            // Restricted (R) entries are for the registered professions; very restricted (V) for the clinician alone.
            {"GET /staff/patients/p1/problems/cond-r",                            "200 200 200 200 403 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/problems/cond-v",                            "200 403 403 403 403 403 404 404 404 403 403 403 in"},
            // p2 has no relationship with anyone: demographics (above) but none of the clinical record.
            {"GET /staff/patients/p2/problems/cond-2",                            "403 403 403 403 403 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/allergies/new",                              "200 200 200 200 200 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/allergies/no-such",                          "404 404 404 404 404 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/care-plans/new",                             "200 200 200 200 200 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/care-plans/no-such",                         "404 404 404 404 404 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/observations/new",                           "200 200 200 200 200 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/observations/recorded",                      "302 302 302 302 302 302 302 302 302 302 403 403 in"},
            {"GET /staff/patients/p1/contacts/new",                               "200 200 200 200 200 403 404 404 404 403 403 403 in"},
            {"GET /staff/patients/p1/contacts/recorded",                          "302 302 302 302 302 302 302 302 302 302 403 403 in"},
            {"GET /staff/patients/p1/referrals/new",                              "200 200 200 200 200 200 403 403 403 200 403 403 in"},
            {"GET /staff/patients/p1/referrals/made",                             "302 302 302 302 302 302 302 302 302 302 403 403 in"},
            // An episode is within the relationship: to someone without one it is not found (decision 22).
            {"GET /staff/patients/p1/episodes/ep-1/close",                        "200 200 200 200 403 403 404 404 404 404 403 403 in"},
            {"GET /staff/patients/p1/episodes/ep-1/closed",                       "302 302 302 302 302 302 302 302 302 302 403 403 in"},
            {"GET /staff/patients/p2/observations/new",                           "403 403 403 403 403 403 404 404 404 403 403 403 in"},
            // Lists narrowed by the access policy: every member of staff may open them, and sees only what they may.
            {"GET /staff/caseload",                                               "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            {"GET /staff/wards",                                                  "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            {"GET /staff/wards/no-such",                                          "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"GET /staff/teams",                                                  "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            {"GET /staff/teams/team-a",                                           "200 200 200 200 200 200 404 404 404 200 403 403 in"},
            {"GET /staff/teams/team-a/day",                                       "200 200 200 200 200 200 200 200 200 403 403 403 in"},
            {"GET /staff/teams/team-a/day/nurses/doc",                            "404 404 404 404 404 404 404 404 404 403 403 403 in"},
            {"GET /staff/run-sheet",                                              "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            {"GET /staff/escalations/no-such/decline",                            "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"GET /staff/services",                                               "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            {"GET /staff/services/no-such/triage",                                "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"GET /staff/services/no-such/waiting-list",                          "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"GET /staff/referrals/mine",                                         "200 200 200 200 200 200 403 403 403 200 403 403 in"},
            {"GET /staff/referrals/no-such",                                      "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            // Rostering is the nurse manager's; pathways the system administrator's; audit and emergency-access
            // review information governance's.
            {"GET /staff/rosters",                                                "403 403 403 200 403 403 403 403 403 403 403 403 in"},
            {"GET /staff/rosters/team-a",                                         "403 403 403 200 403 403 403 403 403 403 403 403 in"},
            {"GET /staff/rosters/team-a/1",                                       "403 403 403 404 403 403 403 403 403 403 403 403 in"},
            {"GET /staff/rosters/requests",                                       "403 403 403 200 403 403 403 403 403 403 403 403 in"},
            {"GET /staff/admin/pathways",                                         "403 403 403 403 403 403 403 403 200 403 403 403 in"},
            {"GET /staff/admin/pathways/no-such",                                 "403 403 403 403 403 403 403 403 404 403 403 403 in"},
            {"GET /staff/emergency-access",                                       "403 403 403 403 403 403 403 200 403 403 403 403 in"},
            {"GET /staff/emergency-access/no-such",                               "403 403 403 403 403 403 403 404 403 403 403 403 in"},
            {"GET /staff/emergency-access/identity-confirmations/no-such",        "403 403 403 403 403 403 403 404 403 403 403 403 in"},
            {"GET /staff/audit",                                                  "403 403 403 403 403 403 403 200 403 403 403 403 in"},
            {"GET /staff/audit/patient",                                          "403 403 403 403 403 403 403 302 403 403 403 403 in"},
            {"GET /staff/audit/patients/p1",                                      "403 403 403 403 403 403 403 200 403 403 403 403 in"},
            {"GET /staff/audit/staff",                                            "403 403 403 403 403 403 403 200 403 403 403 403 in"},
            {"GET /shifts",                                                       "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            {"GET /shifts/requests/new",                                          "200 200 200 200 200 200 200 200 200 200 403 403 in"},
            // The patient area is for patients and carers; who viewed the record is the patient's own to see.
            {"GET /my/record-access",                                             "403 403 403 403 403 403 403 403 403 403 200 403 in"},
            {"GET /my/apps",                                                      "403 403 403 403 403 403 403 403 403 403 200 200 in"},
            {"GET /my/carers",                                                    "403 403 403 403 403 403 403 403 403 403 200 403 in"},
            {"GET /my/carers/stop?consent=consent1&carer=carer1",                 "403 403 403 403 403 403 403 403 403 403 200 403 in"},
            {"GET /my/carers/change?consent=consent1&carer=carer1",               "403 403 403 403 403 403 403 403 403 403 200 403 in"},
            {"GET /oauth2/consent",                                               "400 400 400 400 400 400 400 400 400 400 400 400 in"},
            {"GET /launch/choose-patient",                                        "400 400 400 400 400 400 400 400 400 400 400 400 in"},
            // Public pages.
            {"GET /services",                                                     "200 200 200 200 200 200 200 200 200 200 200 200 200"},
            {"GET /services/no-such",                                             "404 404 404 404 404 404 404 404 404 404 404 404 404"},
            {"GET /services/no-such/self-referral",                               "404 404 404 404 404 404 404 404 404 404 404 404 404"},
            {"GET /self-referral/confirmation",                                   "302 302 302 302 302 302 302 302 302 302 302 302 302"},
            {"GET /signin",                                                       "200 200 200 200 200 200 200 200 200 200 200 200 200"},
            {"GET /signin/second-factor",                                         "in in in in in in in in in in in in in"},
            // Only for a browser part-way through a sign-in with a given password; everyone else is sent to sign in.
            {"GET /signin/new-password",                                          "in in in in in in in in in in in in in"},
            {"GET /signin/done",                                                  "200 200 200 200 200 200 200 200 200 200 200 200 in"},
            {"GET /.well-known/federation-jwks.json",                             "200 200 200 200 200 200 200 200 200 200 200 200 200"},
            {"GET /fhir/.well-known/smart-configuration",                         "200 200 200 200 200 200 200 200 200 200 200 200 200"},
            // JSON APIs and the actuator with a session: 401 for nobody signed in rather than a sign-in page.
            {"GET /api/terminology/search?q=asthma",                              "200 200 200 200 200 200 200 200 200 200 200 200 401"},
            {"GET /api/services/no-such/waiting-list",                            "404 404 404 404 404 404 404 404 404 404 404 404 401"},
            {"GET /api/break-glass/reviews",                                      "403 403 403 403 403 403 403 200 403 403 403 403 401"},
            {"GET /api/break-glass/reviews/identity-confirmations",               "403 403 403 403 403 403 403 200 403 403 403 403 401"},
            {"GET /api/operations/outbox/set-aside",                              "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /api/admin/clients",                                            "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /api/admin/clients/charnwood-test-app",                         "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /actuator/health",                                              "200 200 200 200 200 200 200 200 200 200 200 200 200"},
            {"GET /actuator/info",                                                "200 200 200 200 200 200 200 200 200 200 200 200 200"},
            {"GET /actuator/metrics",                                             "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /actuator/prometheus",                                          "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /actuator/metrics/jvm.threads.live",                            "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /actuator",                                                     "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"GET /actuator/auditchain",                                          "403 403 403 403 403 403 403 200 200 403 403 403 401"},
            // Writes, with the CSRF token and an empty form: refusals as for the pages, an allowed caller's form
            // answered with what is missing (422, shown again with its problems, or 400) or the record's absence
            // (404); never 200, which would say it was saved. Nothing is written except
            // the nurse manager's plan of a past day (302), "no known allergies" (which needs no form: 302) and the
            // system administrator's client registration, which the row after it removes again.
            {"POST /staff/patients",                                              "400 400 400 400 400 400 403 403 403 400 403 403 in"},
            {"POST /staff/patients/p1/problems",                                  "422 422 422 422 422 403 404 404 404 403 403 403 in"},
            {"POST /staff/patients/p1/problems/no-such",                          "404 404 404 404 404 403 403 403 403 403 403 403 in"},
            {"POST /staff/patients/p1/allergies",                                 "422 422 422 422 422 403 404 404 404 403 403 403 in"},
            {"POST /staff/patients/p1/allergies/none",                            "302 302 302 302 302 403 404 404 404 403 403 403 in"},
            {"POST /staff/patients/p1/allergies/no-such",                         "404 404 404 404 404 403 403 403 403 403 403 403 in"},
            {"POST /staff/patients/p1/care-plans",                                "422 422 422 422 422 403 404 404 404 403 403 403 in"},
            {"POST /staff/patients/p1/care-plans/no-such",                        "404 404 404 404 404 403 403 403 403 403 403 403 in"},
            {"POST /staff/patients/p1/observations",                              "422 422 422 422 422 403 404 404 404 403 403 403 in"},
            {"POST /staff/patients/p1/contacts",                                  "422 422 422 422 422 403 404 404 404 403 403 403 in"},
            {"POST /staff/patients/p1/referrals service=no-such",                 "404 404 404 404 404 404 403 403 403 404 403 403 in"},
            {"POST /staff/patients/p1/episodes/no-such/close",                    "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/escalations/no-such/accept",                            "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/escalations/no-such/decline",                           "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/teams/team-a/day/plan date=2020-01-06",                 "403 403 403 302 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/teams/team-a/day/replan date=2020-01-06",               "403 403 403 302 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/teams/team-a/day/publish date=2020-01-06",              "403 403 403 302 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/teams/team-a/day/urgent date=2020-01-06",               "403 403 403 422 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/referrals/no-such/accept",                              "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/referrals/no-such/confirm-identity",                    "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/referrals/no-such/reject",                              "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/referrals/no-such/redirect",                            "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/referrals/no-such/information-request",                 "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/referrals/no-such/information-requests/no-such/answer", "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /staff/rosters/no-such",                                       "403 403 403 404 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/rosters/team-a/1/publish",                              "403 403 403 404 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/rosters/requests/1",                                    "403 403 403 422 403 403 403 403 403 403 403 403 in"},
            {"POST /staff/admin/pathways/no-such definition=&questionnaire=",     "403 403 403 403 403 403 403 403 404 403 403 403 in"},
            {"POST /staff/emergency-access/no-such",                              "403 403 403 403 403 403 403 404 403 403 403 403 in"},
            {"POST /staff/emergency-access/identity-confirmations/no-such",       "403 403 403 403 403 403 403 404 403 403 403 403 in"},
            {"POST /staff/audit/patient",                                         "403 403 403 403 403 403 403 422 403 403 403 403 in"},
            {"POST /shifts/1/book",                                               "403 403 403 403 403 403 403 403 403 403 403 403 in"},
            {"POST /shifts/1/cancel",                                             "404 404 404 404 404 404 404 404 404 404 403 403 in"},
            {"POST /shifts/requests",                                             "422 422 422 422 422 422 422 422 422 422 403 403 in"},
            {"POST /my/apps/stop",                                                "403 403 403 403 403 403 403 403 403 403 400 400 in"},
            {"POST /my/carers/stop",                                              "403 403 403 403 403 403 403 403 403 403 400 400 in"},
            {"POST /my/carers/change",                                            "403 403 403 403 403 403 403 403 403 403 400 400 in"},
            {"POST /launch/choose-patient",                                       "400 400 400 400 400 400 400 400 400 400 400 400 in"},
            {"POST /self-referral",                                               "400 400 400 400 400 400 400 400 400 400 400 400 400"},
            {"POST /api/break-glass",                                             "400 400 400 400 403 403 403 403 403 400 403 403 401"},
            {"POSTJSON /api/break-glass",                                         "400 400 400 400 403 403 403 403 403 400 403 403 401"},
            {"POSTJSON /api/break-glass/no-such/review",                          "403 403 403 403 403 403 403 400 403 403 403 403 401"},
            {"POSTJSON /api/break-glass/identity-confirmations/no-such/review",   "403 403 403 403 403 403 403 400 403 403 403 403 401"},
            {"POSTJSON /api/operations/outbox/set-aside/replay",                  "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"POSTJSON /api/operations/outbox/set-aside/1/replay",                "403 403 403 403 403 403 403 403 404 403 403 403 401"},
            {"POSTJSON /api/launch",                                              "400 400 400 400 400 400 400 400 400 400 403 403 401"},
            {"PUT /api/admin/clients/matrix-client {\"name\":\"Matrix\",\"kind\":\"public\",\"redirectUris\":[\"http://localhost/cb\"],\"scopes\":[\"openid\"],\"grantTypes\":[\"authorization_code\"]}",
                    "403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"DELETE /api/admin/clients/matrix-client",                           "403 403 403 403 403 403 403 403 204 403 403 403 401"},
            {"POST /signin",                                                      "in in in in in in in in in in in in in"},
            {"POST /signin/second-factor",                                        "in in in in in in in in in in in in in"},
            {"POST /signin/new-password",                                         "in in in in in in in in in in in in in"},
            // Signing out (tried in a session of its own, so the others stay signed in) ends any session.
            {"POST /signout",                                                     "in in in in in in in in in in in in in"},
            // The identity provider's server-to-server call carries no session or CSRF token: a logout token or 400.
            {"POSTJSON /signin/backchannel-logout/cis2",                          "400 400 400 400 400 400 400 400 400 400 400 400 400"},
    };

    /**
     * Routes the application serves that have no row, each with why: the FHIR endpoint has its own matrix, and these
     * cannot be tried with a plain request and a status. Anything else a controller maps must have a row above, so a
     * new page or endpoint fails {@link #everyRouteTheApplicationServesHasARow} until its access is written down.
     */
    static final Map<String, String> NOT_IN_MATRIX = Map.of(
            "/fhir/**", "the FHIR API: AuthorisationMatrixIntegrationTests and FhirAuthorisationCasesIntegrationTests",
            "/fhir", "the FHIR API, as above",
            "/fhir/", "the FHIR API, as above",
            "/error", "the error page, shown in place of a refused page rather than requested",
            "/staff/wards/{wardId}/events", "a board's event stream, which stays open: BoardEventsIntegrationTests",
            "/staff/teams/{careTeamId}/events", "a board's event stream, as above");

    private static final Map<String, HttpClient> SESSIONS = new ConcurrentHashMap<>();
    private static final Map<String, String> CSRF = new ConcurrentHashMap<>();

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
        AccessFixture.put(repository, relationships, List.of(condition("cond-1", "p1", null),
                condition("cond-2", "p2", null), condition("cond-r", "p1", "R"), condition("cond-v", "p1", "V")));
    }

    /** One case per request, all callers tried in it: the trust is loaded afresh per case, not per cell. */
    static Stream<Arguments> rows() {
        return Stream.of(MATRIX).map(row -> Arguments.of(row[0], row[1]));
    }

    static Stream<String> writes() {
        // The back-channel logout is server to server, authenticated by its signed logout token, never a browser's.
        return Stream.of(MATRIX).map(row -> row[0]).filter(r -> !r.startsWith("GET ") && !r.contains("backchannel"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachCallerGetsTheAnswerThePolicyGives(String request, String row) {
        List<String> callers = List.copyOf(CALLERS.keySet());
        String[] expected = row.trim().split("\\s+");
        assertThat(expected).as(request).hasSize(callers.size());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            HttpResponse<String> r = perform(request, callers.get(i), true);
            if (!answer(r).equals(expected[i])) {
                wrong.add(callers.get(i) + " got " + answer(r) + " not " + expected[i] + ": "
                        + r.body().substring(0, Math.min(300, r.body().length())));
            }
        }
        assertThat(wrong).as(request).isEmpty();
    }

    @ParameterizedTest(name = "{0} without a CSRF token")
    @MethodSource("writes")
    void aWriteWithoutItsCsrfTokenIsRefusedEvenToTheStaffWhoMayMakeIt(String request) {
        for (String caller : List.of("clinician", "sysadmin", "ig", "patient")) {
            HttpResponse<String> r = perform(request, caller, false);
            assertThat(r.statusCode()).as("%s by %s without a CSRF token: %s", request, caller, r.body())
                    .isEqualTo(403);
        }
    }

    @Autowired
    ApplicationContext context;

    /**
     * Every method and path a controller or actuator endpoint maps is tried by some row (a row whose path the mapping's pattern matches,
     * with its method), or is listed in {@link #NOT_IN_MATRIX}. A mapping with no method is tried by any row.
     */
    @Test
    void everyRouteTheApplicationServesHasARow() {
        Set<String> missing = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().forEach((info, handler) -> {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (NOT_IN_MATRIX.containsKey(pattern)) {
                        continue;
                    }
                    var parsed = PathPatternParser.defaultInstance.parse(pattern);
                    for (RequestMethod method : methods.isEmpty() ? Set.<RequestMethod>of() : methods) {
                        if (Stream.of(MATRIX).noneMatch(row -> tries(row[0], method.name(), parsed))) {
                            missing.add(method + " " + pattern + " (" + handler.getShortLogMessage() + ")");
                        }
                    }
                    if (methods.isEmpty() && Stream.of(MATRIX).noneMatch(row -> tries(row[0], null, parsed))) {
                        missing.add(pattern + " (" + handler.getShortLogMessage() + ")");
                    }
                }
            });
        }
        assertThat(missing).as("routes without a row in the matrix").isEmpty();
    }

    /** Whether the row's request is of the method (any, when null) and its path matches the pattern. */
    private static boolean tries(String request, String method, org.springframework.web.util.pattern.PathPattern pattern) {
        String[] parts = request.split(" ", 3);
        String rowMethod = parts[0].equals("POSTJSON") ? "POST" : parts[0];
        String path = parts[1].replaceFirst("\\?.*$", "");
        return (method == null || method.equals(rowMethod)) && pattern.matches(PathContainer.parsePath(path));
    }

    /** The status, or "in" for a redirect to the sign-in page. */
    static String answer(HttpResponse<String> r) {
        String location = r.headers().firstValue("Location").orElse("");
        if (r.statusCode() / 100 == 3 && location.replaceFirst("^https?://[^/]+", "").startsWith("/signin")) {
            return "in";
        }
        return Integer.toString(r.statusCode());
    }

    HttpResponse<String> perform(String request, String caller, boolean withCsrf) {
        String[] parts = request.split(" ", 3);
        String method = parts[0];
        String path = parts[1];
        String form = parts.length > 2 ? parts[2] : "";
        boolean signOut = path.equals("/signout");
        HttpClient browser = signOut ? signIn(caller, caller + " signing out") : session(caller);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        String csrf = withCsrf ? CSRF.get(signOut ? caller + " signing out" : caller) : null;
        switch (method) {
            case "GET" -> b.header("Accept", path.startsWith("/actuator") ? "*/*"
                    : path.startsWith("/api/") || path.contains(".well-known") ? "application/json" : "text/html").GET();
            case "POST" -> b.header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                    .POST(HttpRequest.BodyPublishers.ofString(csrf == null ? form
                            : form + (form.isEmpty() ? "" : "&") + "_csrf=" + URLEncoder.encode(csrf, UTF_8)));
            case "POSTJSON", "PUT", "DELETE" -> {
                b.header("Content-Type", "application/json").header("Accept", "application/json");
                if (csrf != null) {
                    b.header("X-CSRF-TOKEN", csrf);
                }
                b.method(method.equals("POSTJSON") ? "POST" : method, method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form.isEmpty() ? "{}" : form));
            }
            default -> throw new IllegalArgumentException(request);
        }
        return send(browser, b.build());
    }

    /** The caller's browser, signed in once for the class, with the session's CSRF token noted. */
    private HttpClient session(String caller) {
        return SESSIONS.computeIfAbsent(caller, name -> signIn(name, name));
    }

    /** A browser signed in as the caller (or not at all), its CSRF token noted under {@code csrfKey}. */
    private HttpClient signIn(String name, String csrfKey) {
        HttpClient browser = TestTokens.browser();
        String base = "http://localhost:" + port;
        String home = "/signin";
        if (CALLERS.get(name) != null) {
            tokens.signIn(browser, tokens.account(CALLERS.get(name)), TestTokens.PASSWORD);
            home = CALLERS.get(name).kind() == Requester.Kind.STAFF ? "/staff" : "/my/apps";
        }
        HttpResponse<String> page = tokens.get(browser, base + home);
        while (page.statusCode() / 100 == 3) {
            page = tokens.get(browser, base + page.headers().firstValue("Location").orElseThrow()
                    .replaceFirst("^https?://[^/]+", ""));
        }
        // A role the page refuses still gets a page with the sign-out form, and so the session's token.
        CSRF.put(csrfKey, TestTokens.csrf(page.body()));
        return browser;
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Condition condition(String id, String patient, String confidentiality) {
        Condition c = new Condition();
        c.setId(id);
        c.setSubject(new Reference("Patient/" + patient));
        c.setCode(new CodeableConcept().setText("Problem " + id));
        if (confidentiality != null) {
            c.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", confidentiality, null);
        }
        return c;
    }
}
