package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused attempt at a patient's record is in that patient's access history whichever way it was refused: by the
 * security filter chain for the token's scope before any handler ran (the patient named in a JSON body, or by the
 * emergency access grant a review addresses), a search refused with the patient in its query, and a read of one of
 * their resources that the caller may not see.
 */
class RefusalsNameThePatientIntegrationTests extends CharnwoodIntegrationTest {

    private static final String EMERGENCY = "{\"patientId\":\"rn-1\",\"reason\":\"Unconscious in the emergency department\"}";

    private final Caller clinician = Caller.staff("Practitioner/rn-doc", AccessRole.CLINICIAN);
    private long before;

    @BeforeEach
    void aPatientWithAnObservation() {
        Patient patient = new Patient();
        patient.setId("rn-1");
        assertThat(http.putJson("/fhir/Patient/rn-1", patient).status()).isEqualTo(201);
        Observation o = new Observation();
        o.setId("rn-obs");
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new Reference("Patient/rn-1"));
        assertThat(http.putJson("/fhir/Observation/rn-obs", o).status()).isEqualTo(201);
        before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    @Test
    void emergencyAccessAndALaunchRefusedForTheTokensScopeNameThePatientInTheBody() {
        FhirHttp fhirOnly = http.as(tokens.bearer(clinician.scopes("user/*.cruds")));

        assertThat(fhirOnly.post("/api/break-glass", EMERGENCY, "application/json").status()).isEqualTo(403);
        assertThat(fhirOnly.post("/api/launch", "{\"patient\":\"Patient/rn-1\"}", "application/json").status())
                .isEqualTo(403);
        // A patient that does not exist is not written into the trail.
        assertThat(fhirOnly.post("/api/break-glass", EMERGENCY.replace("rn-1", "nobody-here"), "application/json")
                .status()).isEqualTo(403);

        assertThat(refusals()).containsExactly(
                new Refusal("POST /api/break-glass", "rn-1"),
                new Refusal("POST /api/launch", "rn-1"),
                new Refusal("POST /api/break-glass", null));
    }

    @Test
    void aReviewRefusedForTheTokensScopeNamesThePatientTheGrantOpened() {
        FhirHttp.Response granted = http.as(tokens.bearer(clinician.scopes("charnwood/break-glass")))
                .post("/api/break-glass", EMERGENCY, "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        String grant = jdbc.queryForObject("select grant_id from access_break_glass where patient_id = ?",
                String.class, "rn-1");
        before = jdbc.queryForObject("select max(seq) from audit.event", Long.class);
        Caller governance = Caller.staff("Practitioner/rn-gov", AccessRole.INFORMATION_GOVERNANCE);

        FhirHttp.Response review = http.as(tokens.bearer(governance.scopes("user/*.rs")))
                .post("/api/break-glass/" + grant + "/review", "{\"note\":\"Seen\"}", "application/json");

        assertThat(review.status()).isEqualTo(403);
        assertThat(refusals()).containsExactly(new Refusal("POST /api/break-glass/" + grant + "/review", "rn-1"));
    }

    @Test
    void aSearchRefusedForTheAppsScopeNamesThePatientItsQueryNames() {
        FhirHttp patientsOnly = http.as(tokens.bearer(Caller.system("system/Patient.rs")));

        assertThat(patientsOnly.get("/fhir/Observation?patient=rn-1").status()).isEqualTo(403);
        assertThat(patientsOnly.get("/fhir/Observation?subject=Patient/rn-1&code=8867-4").status()).isEqualTo(403);
        // What is not a FHIR id is not taken from a refused query.
        assertThat(patientsOnly.get("/fhir/Observation?patient=not%20an%20id").status()).isEqualTo(403);

        assertThat(refusals()).containsExactly(
                new Refusal("GET /fhir/Observation", "rn-1"),
                new Refusal("GET /fhir/Observation", "rn-1"),
                new Refusal("GET /fhir/Observation", null));
    }

    @Test
    void aReadOfAResourceTheCallerMayNotSeeNamesThePatientItHoldsDataAbout() {
        FhirHttp unrelated = http.as(tokens.bearer(clinician.scopes("user/*.cruds")));
        FhirHttp patientsOnly = http.as(tokens.bearer(Caller.system("system/Patient.rs")));

        int hidden = unrelated.get("/fhir/Observation/rn-obs").status();
        assertThat(patientsOnly.get("/fhir/Observation/rn-obs").status()).isEqualTo(403);
        assertThat(unrelated.get("/fhir/Observation/not-there").status()).isEqualTo(404);

        assertThat(hidden).isIn(403, 404);
        assertThat(refusals()).containsExactly(
                new Refusal("GET /fhir/Observation/rn-obs", "rn-1"),
                new Refusal("GET /fhir/Observation/rn-obs", "rn-1"),
                new Refusal("GET /fhir/Observation/not-there", null));
    }

    /** A refusal recorded since the test began: what was asked (method and path) and whom it names. */
    record Refusal(String request, String patients) {
    }

    private List<Refusal> refusals() {
        return jdbc.query("""
                        select e.content::jsonb, nullif(e.patients, '') from audit.event e
                         where e.seq > ? and e.outcome = 4 order by e.seq""",
                (rs, i) -> new Refusal(requested(rs.getString(1)), rs.getString(2)), before);
    }

    /** The method and path an event's facts record, from its query or the resource it names. */
    private static String requested(String facts) {
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(facts);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        if (n.hasNonNull("query")) {
            String line = n.get("query").asText();
            int end = line.indexOf('?');
            return end < 0 ? line.strip() : line.substring(0, end);
        }
        String method = switch (n.path("action").asText()) {
            case "C" -> "POST";
            case "U" -> "PUT";
            case "D" -> "DELETE";
            default -> "GET";
        };
        String resource = n.path("resources").path(0).asText();
        return method + " /fhir/" + resource;
    }
}
