package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.StandInIdentityProvider;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.*;

/**
 * The FHIR authorisation matrix's further cases, beside {@link AuthorisationMatrixIntegrationTests}: the
 * interactions it leaves out (type and system-wide search, includes, {@code _search}, system history, batch,
 * conditional patch, bulk export, Binary, AuditEvent), tried by the callers it leaves out (health professional,
 * nurse manager, a patient proven only to P5, {@code system/} write-only scopes, a v1 {@code .read} app, a patient
 * app with a finer {@code patient/} scope); then each relationship state, and each sensitivity label, with the
 * callers they decide for. Every case is a request over HTTP with a real bearer token; each table row is loaded
 * once and all its callers tried in it.
 */
class FhirAuthorisationCasesIntegrationTests extends CharnwoodIntegrationTest {

    /** The callers, in the column order of {@link #INTERACTIONS}; null is nobody signed in. */
    static final Map<String, Caller> CALLERS = new LinkedHashMap<>();

    /** p1 signed in through NHS login with identity proven to P9, and to P5 only: not test accounts. */
    static final String P9 = "patientP9";
    static final String P5 = "patientP5";

    static {
        CALLERS.put("clinician", Caller.staff("Practitioner/doc", CLINICIAN));
        CALLERS.put("hp", Caller.staff("Practitioner/doc", HEALTH_PROFESSIONAL));
        CALLERS.put("nursemgr", Caller.staff("Practitioner/doc", NURSE_MANAGER));
        CALLERS.put("hca", Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT));
        CALLERS.put("booking", Caller.staff("Practitioner/doc", ADMIN_BOOKING));
        CALLERS.put("ig", Caller.staff("Practitioner/doc", INFORMATION_GOVERNANCE));
        CALLERS.put("sysadmin", Caller.staff("Practitioner/doc", SYSTEM_ADMINISTRATOR));
        CALLERS.put("patient", Caller.patient("p1").scopes("patient/*.rs", "patient/QuestionnaireResponse.c"));
        CALLERS.put(P9, Caller.patient("p1"));
        CALLERS.put(P5, Caller.patient("p1"));
        CALLERS.put("carer", Caller.carer("carer1", "p1"));
        CALLERS.put("system", Caller.system("system/*.cruds"));
        CALLERS.put("syscud", Caller.system("system/*.cud"));
        CALLERS.put("v1app", Caller.staff("Practitioner/doc", CLINICIAN).scopes("user/*.read"));
        CALLERS.put("vitalsapp", Caller.patient("p1").scopes("patient/Patient.rs",
                "patient/Observation.rs?category=vital-signs"));
        CALLERS.put("anonymous", null);
    }

    /**
     * Interaction → status per caller, columns as {@link #CALLERS}:
     * clinician hp nursemgr hca booking ig sysadmin patient patientP9 patientP5 carer system syscud v1app vitalsapp
     * anonymous. Every answer must also leave out what the caller may not see ({@link #HIDDEN}).
     * Staff are all practitioner {@code doc}, whose team holds p1's episode; the carer's consent shares p1's
     * observations. Bundles with reads are for unrestricted callers only; bulk export for backend systems only.
     */
    static final String[][] INTERACTIONS = {
            {"read p1-obs",                       "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            {"read laboratory p1-lab",            "200 200 200 200 403 403 403 200 200 403 200 200 403 200 404 401"},
            {"search Observation",                "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            // A search across types refused every type it names is refused as the type-level search is.
            {"search all types ?_type",           "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            {"POST Observation/_search",          "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            {"search with _include",              "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            {"search Patient with _revinclude",   "200 200 200 200 200 403 403 200 200 403 200 200 403 200 200 401"},
            // The carer's consent shares observations only, and the vital-signs app has no Condition scope.
            {"search Patient with _revinclude Condition", "200 200 200 200 200 403 403 200 200 403 200 200 403 200 200 401"},
            {"system history",                    "200 200 200 200 200 403 200 200 200 403 200 200 403 200 200 401"},
            {"everything p1",                     "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            {"history of p1-obs",                 "200 200 200 200 403 403 403 200 200 403 200 200 403 200 200 401"},
            {"read practitioner",                 "200 200 200 200 200 403 200 200 200 200 200 200 403 200 403 401"},
            {"create p1 observation",             "201 201 201 201 403 403 403 403 403 403 403 201 201 403 403 401"},
            // Criteria are a search: a system granted only create, update and delete may not use them.
            {"conditional create",                "200 200 200 200 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"conditional update p1-obs",         "200 200 200 200 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"conditional patch p1-obs",          "200 200 200 200 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"conditional delete p1-lab",         "204 204 204 204 403 403 403 403 403 403 403 204 403 403 403 401"},
            {"update p1-obs",                     "200 200 200 200 403 403 403 403 403 403 403 200 200 403 403 401"},
            {"patch p1-obs",                      "200 200 200 200 403 403 403 403 403 403 403 200 200 403 403 401"},
            {"delete p1-lab",                     "204 204 204 204 403 403 403 403 403 403 403 204 204 403 403 401"},
            {"batch read p1-obs",                 "403 403 403 403 403 403 403 403 403 403 403 200 403 403 403 401"},
            {"batch create p1 observation",       "200 200 200 200 403 403 403 403 403 403 403 200 200 403 403 401"},
            {"transaction create p1 observation", "200 200 200 200 403 403 403 403 403 403 403 200 200 403 403 401"},
            {"patient questionnaire answer",      "201 201 201 201 403 403 403 201 201 403 403 201 201 403 403 401"},
            {"system $export",                    "403 403 403 403 403 403 403 403 403 403 403 202 403 403 403 401"},
            {"Patient/$export",                   "403 403 403 403 403 403 403 403 403 403 403 202 403 403 403 401"},
            {"bulk import",                       "403 403 403 403 403 403 403 403 403 403 403 200 200 403 403 401"},
            // A Binary is seen when what it refers to is; to anyone else it is not there (404), whatever their role.
            // It holds patient data, so a patient proven only to P5 is refused it as their record (403).
            {"read Binary of p1-obs",             "200 200 200 200 404 403 404 200 200 403 200 200 403 200 403 401"},
            {"read Binary of nothing",            "404 404 404 404 404 403 404 404 404 403 404 200 403 404 403 401"},
            {"AuditEvent search for p1",          "403 403 403 403 403 200 200 200 200 403 403 200 403 403 403 401"},
            {"AuditEvent search for p2",          "403 403 403 403 403 200 200 403 403 403 403 200 403 403 403 401"},
            {"capability statement",              "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200"},
    };

    /**
     * Relationship state → what the nurse (practitioner {@code doc}, no relationship but the one named) gets on that
     * patient's record: read of the patient's observation, search of their observations (whether it finds any),
     * {@code $everything}, and a new observation for them.
     */
    static final String[][] RELATIONSHIPS = {
            // state                  patient  read search everything create
            {"active episode",          "p1", "200 found 200 201"},
            {"care team about them",    "p3", "200 found 200 201"},
            {"open referral to them",   "p4", "200 found 200 201"},
            {"booked appointment",      "p5", "200 found 200 201"},
            {"proposed appointment",    "p9", "404 none 403 403"},
            {"finished episode",        "p6", "404 none 403 403"},
            {"completed referral",      "p10", "404 none 403 403"},
            {"none",                    "p2", "404 none 403 403"},
            {"break-glass in force",    "p7", "200 found 200 201"},
            {"break-glass expired",     "p8", "404 none 403 403"},
    };

    /**
     * Label on one of p1's observations → read by clinician, nurse, healthcare assistant, booking clerk, the
     * patient, their carer and a backend system. Every sealed category hides as restricted does.
     */
    static final String[][] LABELS = {
            // label                                                   clinician nurse hca booking patient carer system
            {"none",                                                     "200 200 200 403 200 200 200"},
            {"http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N", "200 200 200 403 200 200 200"},
            {"http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R", "200 200 404 403 200 404 200"},
            {"urn:oid:2.16.840.1.113883.5.25|R",                         "200 200 404 403 200 404 200"},
            {"http://terminology.hl7.org/CodeSystem/v3-Confidentiality|V", "200 404 404 403 200 404 200"},
            {"http://hl7.org/fhir/v3/Confidentiality|V",                 "200 404 404 403 200 404 200"},
            {"v3-ActCode|BH",                                            "200 200 404 403 200 404 200"},
            {"v3-ActCode|PSY",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|PSYTHPN",                                       "200 200 404 403 200 404 200"},
            {"v3-ActCode|ETH",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|SUD",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|OUD",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|DRGIS",                                         "200 200 404 403 200 404 200"},
            {"v3-ActCode|SEX",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|STD",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|PREGIS",                                        "200 200 404 403 200 404 200"},
            {"v3-ActCode|SDV",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|MST",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|HIV",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|GDIS",                                          "200 200 404 403 200 404 200"},
            {"v3-ActCode|SCA",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|SPI",                                           "200 200 404 403 200 404 200"},
            {"v3-ActCode|TBOO",                                          "200 200 404 403 200 404 200"},
            {"urn:oid:2.16.840.1.113883.5.4|HIV",                        "200 200 404 403 200 404 200"},
            {"access-label|gender-reassignment",                         "200 200 404 403 200 404 200"},
            {"access-label|safeguarding",                                "200 200 404 403 200 404 200"},
            {"v3-ActCode|NOPAT",                                         "200 200 200 403 404 404 200"},
            {"access-label|withheld-from-patient",                       "200 200 200 403 404 404 200"},
    };

    /** Callers who may see no clinical record: whatever they are answered holds no observation. */
    static final List<String> SEE_NO_CLINICAL_RECORD = List.of("booking", "ig", "sysadmin", P5, "syscud");

    static final List<String> LABEL_READERS = List.of("clinician", "nurse", "hca", "booking", "patient", "carer",
            "system");

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String ACCESS_LABEL = "https://charnwood.nhs.example/fhir/CodeSystem/access-label";
    private static final String P1_NHS_NUMBER = "9990000018";
    private static final Map<String, String> NHS_LOGIN_TOKENS = new ConcurrentHashMap<>();

    /**
     * What each caller may never be shown, in any answer: p1's observations labelled restricted ({@code p1-r}), very
     * restricted ({@code p1-v}), sexual health ({@code p1-sex}) and withheld from the patient ({@code p1-withheld}),
     * the laboratory result ({@code p1-lab}) outside a vital-signs scope, p1's problem ({@code p1-cond}) outside the
     * carer's consent and that scope, and p2's observation, with whom nobody has a relationship.
     */
    static final Map<String, List<String>> HIDDEN = Map.ofEntries(
            Map.entry("clinician", List.of("p2-obs")),
            Map.entry("hp", List.of("p1-v", "p2-obs")),
            Map.entry("nursemgr", List.of("p1-v", "p2-obs")),
            Map.entry("hca", List.of("p1-r", "p1-v", "p1-sex", "p2-obs")),
            Map.entry("patient", List.of("p1-withheld", "p2-obs")),
            Map.entry(P9, List.of("p1-withheld", "p2-obs")),
            Map.entry("carer", List.of("p1-r", "p1-v", "p1-sex", "p1-withheld", "p2-obs", "p1-cond")),
            Map.entry("v1app", List.of("p2-obs")),
            Map.entry("vitalsapp", List.of("p1-lab", "p1-withheld", "p2-obs", "p1-cond")));

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
        List<Resource> others = new ArrayList<>();
        for (String p : List.of("p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10")) {
            others.add(AccessFixture.patient(p, "Patient " + p));
            others.add(AccessFixture.observation(p + "-obs", p, AccessFixture.VITALS));
        }
        AccessFixture.put(repository, others);
        AccessFixture.put(repository, relationships, List.of(
                verified(AccessFixture.patient("p1", "Allen")),
                binary("bin-obs", "Observation/p1-obs"), binary("bin-none", null), problem("p1-cond", "p1"),
                careTeamAbout("ct-p3", "p3"),
                referral("sr-p4", "p4", ServiceRequest.ServiceRequestStatus.ACTIVE),
                referral("sr-p10", "p10", ServiceRequest.ServiceRequestStatus.COMPLETED),
                AccessFixture.appointment("appt-p5", "p5", "Practitioner/doc", Appointment.AppointmentStatus.BOOKED),
                AccessFixture.appointment("appt-p9", "p9", "Practitioner/doc", Appointment.AppointmentStatus.PROPOSED),
                finished(AccessFixture.episode("ep-p6", "p6", "CareTeam/team-a", null))));
    }

    static Stream<Arguments> interactions() {
        return Stream.of(INTERACTIONS).map(row -> Arguments.of(row[0], row[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interactions")
    void eachCallerGetsTheStatusThePolicyGives(String interaction, String row) {
        List<String> callers = List.copyOf(CALLERS.keySet());
        String[] expected = row.trim().split("\\s+");
        assertThat(expected).as(interaction).hasSize(callers.size());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            Response r = perform(interaction, as(callers.get(i)));
            if (r.status() != Integer.parseInt(expected[i])) {
                wrong.add(callers.get(i) + " got " + r.status() + " not " + expected[i] + ": "
                        + r.body().substring(0, Math.min(300, r.body().length())));
            } else if (r.status() / 100 == 2) {
                if (SEE_NO_CLINICAL_RECORD.contains(callers.get(i))) {
                    assertThat(r.body()).as("%s by %s", interaction, callers.get(i))
                            .doesNotContain("\"resourceType\":\"Observation\"");
                }
                for (String hidden : HIDDEN.getOrDefault(callers.get(i), List.of())) {
                    if (r.body().contains(hidden + "\"")) {
                        wrong.add(callers.get(i) + " was shown " + hidden + ": " + r.body());
                    }
                }
            } else if (r.status() == 401 || r.status() == 403) {
                assertThat(r.body()).as("%s by %s", interaction, callers.get(i)).contains("OperationOutcome");
            }
        }
        assertThat(wrong).as(interaction).isEmpty();
    }

    /** Each relationship state, and break-glass in force and expired, decides the nurse's access to that patient. */
    @Test
    void aSearchAcrossTypesRefusedSomeSaysWhichItLeftOutAndRefusedAllIsRefused() {
        FhirHttp booking = http.as(tokens.bearer(CALLERS.get("booking")));
        Response typeLevel = booking.get("/fhir/Observation");
        Response allRefused = booking.get("/fhir?_type=Observation");
        assertThat(allRefused.status()).isEqualTo(403);
        assertThat(allRefused.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo(typeLevel.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        assertThat(allRefused.outcome().getIssueFirstRep().getDiagnostics())
                .isEqualTo(typeLevel.outcome().getIssueFirstRep().getDiagnostics());

        Response someRefused = booking.get("/fhir?_type=Observation,Patient&_id=p1");
        assertThat(someRefused.status()).isEqualTo(200);
        Bundle bundle = someRefused.bundle();
        assertThat(bundle.getEntry()).anySatisfy(e -> assertThat(e.getResource().getIdElement().getIdPart())
                .isEqualTo("p1"));
        var outcome = bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME).findFirst().orElseThrow();
        var issue = ((org.hl7.fhir.r4.model.OperationOutcome) outcome.getResource()).getIssueFirstRep();
        assertThat(issue.getSeverity()).isEqualTo(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.WARNING);
        assertThat(issue.getDiagnostics()).contains("Observation").doesNotContain("Patient");
    }

    @Test
    void eachRelationshipStateGivesTheNurseTheRecordOrNot() {
        Caller nurse = Caller.staff("Practitioner/doc", REGISTERED_NURSE);
        FhirHttp glass = http.as(tokens.bearer(nurse.scopes("user/*.cruds", "charnwood/break-glass")));
        for (String patient : List.of("p7", "p8")) {
            assertThat(glass.post("/api/break-glass", "{\"patientId\":\"" + patient
                    + "\",\"reason\":\"Collapsed at home, no records to hand\"}", "application/json").status())
                    .as("break-glass for %s", patient).isEqualTo(201);
        }
        jdbc.update("update access_break_glass set expires_at = now() - interval '1 minute' where patient_id = 'p8'");
        FhirHttp as = http.as(tokens.bearer(nurse));
        List<String> wrong = new ArrayList<>();
        for (String[] row : RELATIONSHIPS) {
            String p = row[1];
            Response search = as.get("/fhir/Observation?subject=Patient/" + p);
            String got = as.get("/fhir/Observation/" + p + "-obs").status() + " "
                    + (search.status() != 200 ? "status " + search.status()
                            : search.bundle().getEntry().isEmpty() ? "none" : "found") + " "
                    + as.get("/fhir/Patient/" + p + "/$everything").status() + " "
                    + as.postJson("/fhir/Observation", AccessFixture.observation(null, p, AccessFixture.VITALS)).status();
            if (!got.equals(row[2])) {
                wrong.add(row[0] + " (" + p + "): got " + got + " not " + row[2]);
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Each security label on a resource of p1's hides it from exactly the callers its row says. */
    @Test
    void eachLabelHidesTheEntryFromThoseItIsHiddenFrom() {
        List<Resource> labelled = new ArrayList<>();
        for (int i = 0; i < LABELS.length; i++) {
            var o = AccessFixture.observation("lbl-" + i, "p1", AccessFixture.VITALS);
            if (!LABELS[i][0].equals("none")) {
                String[] label = LABELS[i][0].split("\\|");
                String system = label[0].equals("v3-ActCode") ? ACT_CODE
                        : label[0].equals("access-label") ? ACCESS_LABEL : label[0];
                o.getMeta().addSecurity(system, label[1], null);
            }
            labelled.add(o);
        }
        AccessFixture.put(repository, labelled);
        Map<String, Caller> readers = Map.of(
                "clinician", CALLERS.get("clinician"), "nurse", Caller.staff("Practitioner/doc", REGISTERED_NURSE),
                "hca", CALLERS.get("hca"), "booking", CALLERS.get("booking"), "patient", CALLERS.get("patient"),
                "carer", CALLERS.get("carer"), "system", CALLERS.get("system"));
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < LABELS.length; i++) {
            String[] expected = LABELS[i][1].split("\\s+");
            for (int c = 0; c < LABEL_READERS.size(); c++) {
                int got = http.as(tokens.bearer(readers.get(LABEL_READERS.get(c)))).get("/fhir/Observation/lbl-" + i).status();
                if (got != Integer.parseInt(expected[c])) {
                    wrong.add(LABELS[i][0] + " read by " + LABEL_READERS.get(c) + ": got " + got + " not " + expected[c]);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private FhirHttp as(String caller) {
        if (caller.equals(P5) || caller.equals(P9)) {
            String level = caller.equals(P5) ? "P5" : "P9";
            return http.as(NHS_LOGIN_TOKENS.computeIfAbsent(port + level, key -> nhsLoginToken(level)));
        }
        Caller c = CALLERS.get(caller);
        return c == null ? http.anonymous() : http.as(tokens.bearer(c));
    }

    /** p1 signed in through NHS login with identity proven to the level given: linked to their record either way. */
    private String nhsLoginToken(String level) {
        StandInIdentityProvider.get().nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(),
                "nhs_number", P1_NHS_NUMBER, "identity_proofing_level", level));
        HttpClient browser = TestTokens.browser();
        String base = "http://localhost:" + port;
        HttpResponse<String> start = tokens.get(browser, base + "/oauth2/authorization/nhs-login");
        HttpResponse<String> atProvider = tokens.get(browser, start.headers().firstValue("Location").orElseThrow());
        tokens.get(browser, atProvider.headers().firstValue("Location").orElseThrow());
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP,
                "openid fhirUser launch/patient patient/*.rs patient/QuestionnaireResponse.c", null);
        assertThat(token.get("patient").asString()).isEqualTo("p1");
        return token.get("access_token").asString();
    }

    private Response perform(String interaction, FhirHttp http) {
        return switch (interaction) {
            case "read p1-obs" -> http.get("/fhir/Observation/p1-obs");
            case "history of p1-obs" -> http.get("/fhir/Observation/p1-obs/_history");
            case "read practitioner" -> http.get("/fhir/Practitioner/other");
            case "update p1-obs" -> http.putJson("/fhir/Observation/p1-obs",
                    AccessFixture.observation("p1-obs", "p1", AccessFixture.VITALS));
            case "patch p1-obs" -> http.patch("/fhir/Observation/p1-obs",
                    "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]", "application/json-patch+json");
            case "read laboratory p1-lab" -> http.get("/fhir/Observation/p1-lab");
            case "search Observation" -> http.get("/fhir/Observation");
            case "search all types ?_type" -> http.get("/fhir?_type=Observation");
            case "POST Observation/_search" -> http.post("/fhir/Observation/_search", "subject=Patient/p1",
                    "application/x-www-form-urlencoded");
            case "search with _include" -> http.get("/fhir/Observation?subject=Patient/p1&_include=Observation:subject");
            case "search Patient with _revinclude" -> http.get("/fhir/Patient?_id=p1&_revinclude=Observation:subject");
            case "search Patient with _revinclude Condition" ->
                    http.get("/fhir/Patient?_id=p1&_revinclude=Condition:subject");
            case "AuditEvent search for p2" -> http.get("/fhir/AuditEvent?patient=p2");
            case "system history" -> http.get("/fhir/_history");
            case "everything p1" -> http.get("/fhir/Patient/p1/$everything");
            case "create p1 observation" -> http.postJson("/fhir/Observation",
                    AccessFixture.observation(null, "p1", AccessFixture.VITALS));
            case "conditional patch p1-obs" -> http.patch("/fhir/Observation?_id=p1-obs",
                    "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]", "application/json-patch+json");
            case "conditional create" -> http.postJson("/fhir/Observation",
                    AccessFixture.observation(null, "p1", AccessFixture.VITALS), "If-None-Exist", "_id=p1-obs");
            case "conditional update p1-obs" -> http.putJson("/fhir/Observation?_id=p1-obs",
                    AccessFixture.observation(null, "p1", AccessFixture.VITALS));
            case "conditional delete p1-lab" -> http.delete("/fhir/Observation?_id=p1-lab");
            case "delete p1-lab" -> http.delete("/fhir/Observation/p1-lab");
            case "batch read p1-obs" -> {
                Bundle b = new Bundle().setType(Bundle.BundleType.BATCH);
                b.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Observation/p1-obs");
                yield http.postJson("/fhir", b);
            }
            case "batch create p1 observation", "transaction create p1 observation" -> {
                Bundle b = new Bundle().setType(interaction.startsWith("batch")
                        ? Bundle.BundleType.BATCH : Bundle.BundleType.TRANSACTION);
                b.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                        .setResource(AccessFixture.observation(null, "p1", AccessFixture.VITALS))
                        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
                yield http.postJson("/fhir", b);
            }
            case "patient questionnaire answer" -> {
                QuestionnaireResponse qr = new QuestionnaireResponse();
                qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
                qr.setSubject(new Reference("Patient/p1"));
                yield http.postJson("/fhir/QuestionnaireResponse", qr);
            }
            case "system $export" -> http.get("/fhir/$export?_type=Observation", "Prefer", "respond-async",
                    "Accept", "application/fhir+json");
            case "Patient/$export" -> http.get("/fhir/Patient/$export?_type=Observation", "Prefer", "respond-async",
                    "Accept", "application/fhir+json");
            case "bulk import" -> http.post("/fhir/$import",
                    "{\"resourceType\":\"Patient\",\"id\":\"p11\"}\n", "application/fhir+ndjson");
            case "read Binary of p1-obs" -> http.get("/fhir/Binary/bin-obs", "Accept", "application/fhir+json");
            case "read Binary of nothing" -> http.get("/fhir/Binary/bin-none", "Accept", "application/fhir+json");
            case "AuditEvent search for p1" -> http.get("/fhir/AuditEvent?patient=p1");
            case "capability statement" -> http.get("/fhir/metadata");
            default -> throw new IllegalArgumentException(interaction);
        };
    }

    private static Patient verified(Patient patient) {
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(P1_NHS_NUMBER)
                .addExtension(org.charnwood.fhir.identity.NhsNumber.VERIFICATION_STATUS, new CodeableConcept().addCoding(new Coding(
                        "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland", "01",
                        "Number present and verified")));
        return patient;
    }

    private static Binary binary(String id, String context) {
        Binary b = new Binary();
        b.setId(id);
        b.setContentType("text/plain");
        b.setData("A scanned letter".getBytes(StandardCharsets.UTF_8));
        if (context != null) {
            b.setSecurityContext(new Reference(context));
        }
        return b;
    }

    private static org.hl7.fhir.r4.model.Condition problem(String id, String patient) {
        var c = new org.hl7.fhir.r4.model.Condition();
        c.setId(id);
        c.setSubject(new Reference("Patient/" + patient));
        c.setCode(new CodeableConcept().setText("Leg ulcer"));
        return c;
    }

    private static CareTeam careTeamAbout(String id, String patient) {
        CareTeam t = AccessFixture.team(id, "Practitioner/doc");
        t.setSubject(new Reference("Patient/" + patient));
        return t;
    }

    private static ServiceRequest referral(String id, String patient, ServiceRequest.ServiceRequestStatus status) {
        ServiceRequest s = new ServiceRequest();
        s.setId(id);
        s.setStatus(status);
        s.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        s.setSubject(new Reference("Patient/" + patient));
        s.addPerformer(new Reference("Practitioner/doc"));
        return s;
    }

    private static EpisodeOfCare finished(EpisodeOfCare e) {
        return e.setStatus(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
    }
}
