package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.*;

/**
 * The authorisation matrix: every FHIR interaction, the break-glass API and the operations API, tried by every kind
 * of caller
 * (each role, patients, carers with active and withdrawn consent, systems with several scope sets, SMART
 * clients with fine-grained and patient scopes, nobody signed in), with and without a legitimate relationship
 * and on resources with and without sensitivity labels. Every caller presents a real bearer token issued by the
 * authorisation server (people sign in and authorise a test app; systems use client credentials). Each cell is the status the caller must get.
 * For the break-glass and operations APIs the people's tokens were also granted their scopes, except the two SMART
 * apps', which only hold FHIR scopes and so may not use them whatever the person's role. The pages and the other
 * endpoints, tried with browser sessions, are {@link PageAuthorisationMatrixIntegrationTests}.
 */
class AuthorisationMatrixIntegrationTests extends CharnwoodIntegrationTest {

    /** The callers, in the column order of {@link #MATRIX}; null is nobody signed in. */
    static final Map<String, Caller> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("clinician", Caller.staff("Practitioner/doc", CLINICIAN));
        CALLERS.put("nurse", Caller.staff("Practitioner/doc", REGISTERED_NURSE));
        CALLERS.put("hca", Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT));
        CALLERS.put("booking", Caller.staff("Practitioner/doc", ADMIN_BOOKING));
        CALLERS.put("analyst", Caller.staff("Practitioner/doc", ANALYST));
        CALLERS.put("ig", Caller.staff("Practitioner/doc", INFORMATION_GOVERNANCE));
        CALLERS.put("sysadmin", Caller.staff("Practitioner/doc", SYSTEM_ADMINISTRATOR));
        CALLERS.put("unrelated", Caller.staff("Practitioner/other", CLINICIAN));
        CALLERS.put("patient", Caller.patient("p1").scopes("patient/*.rs", "patient/QuestionnaireResponse.c"));
        CALLERS.put("carer", Caller.carer("carer1", "p1"));
        CALLERS.put("withdrawn", Caller.carer("carer2", "p2"));
        CALLERS.put("system", Caller.system("system/*.cruds"));
        CALLERS.put("sysread", Caller.system("system/*.rs"));
        CALLERS.put("sysobs", Caller.system("system/Observation.rs"));
        CALLERS.put("anonymous", null);
        CALLERS.put("vitalsapp", Caller.staff("Practitioner/doc", CLINICIAN)
                .scopes("user/Patient.rs", "user/Observation.rs?category=vital-signs"));
        CALLERS.put("patientapp", Caller.staff("Practitioner/doc", CLINICIAN)
                .scopes("patient/*.rs").launchPatient("p1"));
    }

    /**
     * Interaction → expected status per caller, columns as {@link #CALLERS}:
     * clinician nurse hca booking analyst ig sysadmin unrelated patient carer withdrawn system sysread sysobs
     * anonymous vitalsapp patientapp.
     */
    static final String[][] MATRIX = {
            {"read p1-obs",                  "200 200 200 403 403 403 403 404 200 200 403 200 200 200 401 200 200"},
            {"vread p1-obs",                 "200 200 200 403 403 403 403 404 200 200 403 200 200 200 401 200 200"},
            {"history p1-obs",               "200 200 200 403 403 403 403 404 200 200 403 200 200 200 401 200 200"},
            {"search p1 observations",       "200 200 200 403 403 403 403 200 200 200 403 200 200 200 401 200 200"},
            {"history of Observation",       "200 200 200 403 403 403 403 200 200 200 403 200 200 200 401 200 200"},
            {"everything p1",                "200 200 200 403 403 403 403 403 200 200 403 200 200 404 401 200 200"},
            {"read p1-lab",                  "200 200 200 403 403 403 403 404 200 200 403 200 200 200 401 404 200"},
            {"read restricted p1-r",         "200 200 404 403 403 403 403 404 200 404 403 200 200 200 401 200 200"},
            {"read very restricted p1-v",    "200 404 404 403 403 403 403 404 200 404 403 200 200 200 401 200 200"},
            {"read sexual health p1-sex",    "200 200 404 403 403 403 403 404 200 404 403 200 200 200 401 200 200"},
            {"read withheld p1-withheld",    "200 200 200 403 403 403 403 404 404 404 403 200 200 200 401 200 200"},
            {"read patient p2",              "200 200 200 200 403 403 403 200 404 404 403 200 200 403 401 200 404"},
            {"read p2-obs",                  "404 404 404 403 403 403 403 404 404 404 403 200 200 200 401 404 404"},
            // A patient's administrative records are within the relationship, as the clinical record is.
            {"read p1 episode ep-1",         "200 200 200 200 403 403 403 404 200 403 403 200 200 403 401 403 200"},
            {"read p2 appointment p2-appt",  "404 404 404 404 403 403 403 404 404 403 403 200 200 403 401 403 404"},
            {"read practitioner",            "200 200 200 200 403 403 200 200 200 200 403 200 200 403 401 403 200"},
            {"create p1 observation",        "201 201 201 403 403 403 403 403 403 403 403 201 403 403 401 403 403"},
            {"conditional create",           "200 200 200 403 403 403 403 403 403 403 403 200 403 403 401 403 403"},
            {"update p1-obs",                "200 200 200 403 403 403 403 404 403 403 403 200 403 403 401 403 403"},
            {"conditional update p1-obs",    "200 200 200 403 403 403 403 403 403 403 403 200 403 403 401 403 403"},
            {"patch p1-obs",                 "200 200 200 403 403 403 403 404 403 403 403 200 403 403 401 403 403"},
            // p1-lab is hidden from the unrelated clinician: to them it is an id with nothing there, and nothing is
            // deleted; matched by criteria, it matches nothing.
            {"delete p1-lab",                "204 204 204 403 403 403 403 204 403 403 403 204 403 403 401 403 403"},
            {"conditional delete p1-lab",    "204 204 204 403 403 403 403 204 403 403 403 204 403 403 401 403 403"},
            {"update hidden p1-v",           "200 404 404 403 403 403 403 404 403 403 403 200 403 403 401 403 403"},
            {"transaction for p1",           "200 200 200 403 403 403 403 403 403 403 403 200 403 403 401 403 403"},
            {"book appointment for p2",      "201 201 403 201 403 403 403 403 403 403 403 201 403 403 401 403 403"},
            {"patient questionnaire answer", "201 201 201 403 403 403 403 403 201 403 403 201 403 403 401 403 403"},
            {"bulk import",                  "403 403 403 403 403 403 403 403 403 403 403 200 403 403 401 403 403"},
            {"capability statement",         "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200"},
            // The people's tokens here were granted the break-glass scopes too; the two SMART apps' were not.
            {"break glass for p2",           "201 201 403 403 403 403 403 201 403 403 403 403 403 403 401 403 403"},
            {"break glass review list",      "403 403 403 403 403 200 403 403 403 403 403 403 403 403 401 403 403"},
            // A review of a grant that does not exist: only the role that reviews learns that it does not.
            {"review a break glass grant",   "403 403 403 403 403 404 403 403 403 403 403 403 403 403 401 403 403"},
            // The operations API: the people's tokens here were granted charnwood/operations; only the role counts.
            {"list set-aside outbox events", "403 403 403 403 403 403 200 403 403 403 403 403 403 403 401 403 403"},
            {"replay set-aside outbox events", "403 403 403 403 403 403 200 403 403 403 403 403 403 403 401 403 403"},
    };

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
    }

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        List<String> callers = List.copyOf(CALLERS.keySet());
        for (String[] row : MATRIX) {
            String[] statuses = row[1].trim().split("\\s+");
            assertThat(statuses).as(row[0]).hasSize(callers.size());
            for (int i = 0; i < statuses.length; i++) {
                out.add(Arguments.of(row[0], callers.get(i), Integer.parseInt(statuses[i])));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} by {1} is {2}")
    @MethodSource("cells")
    void eachCallerGetsTheStatusThePolicyGives(String interaction, String caller, int expected) {
        Response r = perform(interaction, withApiScopes(interaction, caller));
        assertThat(r.status()).as("%s by %s: %s", interaction, caller, r.body()).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            assertThat(r.body()).contains("OperationOutcome");
        }
    }

    /** The caller, with the scopes of the break-glass or operations API asked for too when the interaction is on it. */
    private static Caller withApiScopes(String interaction, String name) {
        Caller caller = CALLERS.get(name);
        List<String> api = interaction.contains("break glass")
                ? List.of("charnwood/break-glass", "charnwood/break-glass.review")
                : interaction.contains("outbox") ? List.of("charnwood/operations") : List.of();
        if (caller == null || caller.kind() == Requester.Kind.SYSTEM || name.endsWith("app") || api.isEmpty()) {
            return caller;
        }
        List<String> scopes = new ArrayList<>(caller.scopes());
        scopes.addAll(api);
        return caller.scopes(scopes.toArray(String[]::new));
    }

    private Response perform(String interaction, Caller caller) {
        FhirHttp http = caller == null ? this.http.anonymous() : this.http.as(tokens.bearer(caller));
        return switch (interaction) {
            case "read p1-obs" -> http.get("/fhir/Observation/p1-obs");
            case "vread p1-obs" -> http.get("/fhir/Observation/p1-obs/_history/1");
            case "history p1-obs" -> http.get("/fhir/Observation/p1-obs/_history");
            case "search p1 observations" -> http.get("/fhir/Observation?subject=Patient/p1");
            case "history of Observation" -> http.get("/fhir/Observation/_history");
            case "everything p1" -> http.get("/fhir/Patient/p1/$everything");
            case "read p1-lab" -> http.get("/fhir/Observation/p1-lab");
            case "read restricted p1-r" -> http.get("/fhir/Observation/p1-r");
            case "read very restricted p1-v" -> http.get("/fhir/Observation/p1-v");
            case "read sexual health p1-sex" -> http.get("/fhir/Observation/p1-sex");
            case "read withheld p1-withheld" -> http.get("/fhir/Observation/p1-withheld");
            case "read patient p2" -> http.get("/fhir/Patient/p2");
            case "read p2-obs" -> http.get("/fhir/Observation/p2-obs");
            case "read practitioner" -> http.get("/fhir/Practitioner/other");
            case "read p1 episode ep-1" -> http.get("/fhir/EpisodeOfCare/ep-1");
            case "read p2 appointment p2-appt" -> http.get("/fhir/Appointment/p2-appt");
            case "create p1 observation" -> http.postJson("/fhir/Observation",
                    AccessFixture.observation(null, "p1", AccessFixture.VITALS));
            case "conditional create" -> http.postJson("/fhir/Observation",
                    AccessFixture.observation(null, "p1", AccessFixture.VITALS),
                    "If-None-Exist", "_id=p1-obs");
            case "update p1-obs" -> http.putJson("/fhir/Observation/p1-obs",
                    AccessFixture.observation("p1-obs", "p1", AccessFixture.VITALS));
            case "conditional update p1-obs" -> http.putJson("/fhir/Observation?_id=p1-obs",
                    AccessFixture.observation(null, "p1", AccessFixture.VITALS));
            case "patch p1-obs" -> http.patch("/fhir/Observation/p1-obs",
                    "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]",
                    "application/json-patch+json");
            case "delete p1-lab" -> http.delete("/fhir/Observation/p1-lab");
            case "conditional delete p1-lab" -> http.delete("/fhir/Observation?_id=p1-lab");
            case "update hidden p1-v" -> http.putJson("/fhir/Observation/p1-v", AccessFixture.labelled(
                    AccessFixture.observation("p1-v", "p1", AccessFixture.VITALS),
                    "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V"));
            case "transaction for p1" -> {
                Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                b.addEntry().setFullUrl("urn:uuid:1").setResource(
                                AccessFixture.observation(null, "p1", AccessFixture.VITALS))
                        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
                yield http.postJson("/fhir", b);
            }
            case "book appointment for p2" -> http.postJson("/fhir/Appointment", AccessFixture.appointment(null,
                    "p2", "Practitioner/other", Appointment.AppointmentStatus.BOOKED));
            case "patient questionnaire answer" -> {
                QuestionnaireResponse qr = new QuestionnaireResponse();
                qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
                qr.setSubject(new Reference("Patient/p1"));
                yield http.postJson("/fhir/QuestionnaireResponse", qr);
            }
            case "bulk import" -> http.post("/fhir/$import",
                    "{\"resourceType\":\"Patient\",\"id\":\"p3\"}\n", "application/fhir+ndjson");
            case "capability statement" -> http.get("/fhir/metadata");
            case "break glass for p2" -> http.post("/api/break-glass",
                    "{\"patientId\":\"p2\",\"reason\":\"Unconscious in the emergency department\"}",
                    "application/json");
            case "break glass review list" -> http.get("/api/break-glass/reviews?status=unreviewed");
            case "review a break glass grant" -> http.post("/api/break-glass/no-such-grant/review",
                    "{\"note\":\"Appropriate\"}", "application/json");
            case "list set-aside outbox events" -> http.get("/api/operations/outbox/set-aside");
            case "replay set-aside outbox events" -> http.post("/api/operations/outbox/set-aside/replay", "",
                    "application/json");
            default -> throw new IllegalArgumentException(interaction);
        };
    }

    static String json(org.hl7.fhir.r4.model.Resource r) {
        return FhirHttp.json(r);
    }
}
