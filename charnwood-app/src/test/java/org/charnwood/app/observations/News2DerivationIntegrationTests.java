package org.charnwood.app.observations;

import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FHIR contract of NEWS2: a complete set of the seven inputs for one patient at one effective time, however
 * written, gets a derived score Observation; an incomplete set gets none; corrections recalculate it.
 */
class News2DerivationIntegrationTests extends CharnwoodIntegrationTest {

    private static final String WHEN = "2026-11-20T09:30:00+00:00";

    @Autowired
    OutboxRelay relay;

    @Autowired
    org.charnwood.fhir.FhirRepository repository;

    private String patient;

    @BeforeEach
    void patient() {
        patient = "Patient/" + http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Ward\"}]}",
                "application/fhir+json").resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();
    }

    private String quantity(String loinc, String snomed, String value, String unit) {
        return """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"%s"},{"system":"http://snomed.info/sct","code":"%s"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"%s",
                 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
                .formatted(loinc, snomed, patient, WHEN, value, unit, unit);
    }

    private String coded(String code, String valueCode) {
        String value = valueCode == null ? "" : """
                ,"valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}""".formatted(valueCode);
        return """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"%s"%s}""".formatted(code, patient, WHEN, value);
    }

    private String bloodPressure(int systolic) {
        return """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"%s",
                 "component":[
                   {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
                    "valueQuantity":{"value":%d,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                   {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},
                    "valueQuantity":{"value":80,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}"""
                .formatted(patient, WHEN, systolic);
    }

    /** Example 5 of the RCP worked examples: total 5, medium risk. */
    private List<String> mediumRiskSet() {
        return new ArrayList<>(List.of(
                quantity("9279-1", "86290005", "22", "/min"),
                quantity("2708-6", "103228002", "97", "%"),
                coded("722742002", null),
                bloodPressure(120),
                quantity("8867-4", "364075005", "115", "/min"),
                coded("1104441000000107", "248234008"),
                quantity("8310-5", "386725007", "38.2", "Cel")));
    }

    private void transaction(List<String> observations) {
        StringBuilder entries = new StringBuilder();
        for (String o : observations) {
            if (!entries.isEmpty()) entries.append(',');
            entries.append("{\"resource\":").append(o).append(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        var response = http.post("/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}",
                "application/fhir+json");
        assertThat(response.status()).isEqualTo(200);
    }

    private List<Observation> scores() {
        relay.relayPending();
        Bundle found = http.get("/fhir/Observation?code=http://snomed.info/sct%7C1104051000000101&subject=" + patient)
                .bundle();
        return found.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
    }

    private Observation awaitScore(int total) {
        await().atMost(Duration.ofSeconds(10)).until(() -> scores().size() == 1
                && scores().get(0).getValueQuantity().getValue().intValue() == total);
        return scores().get(0);
    }

    private static int component(Observation score, String code) {
        return score.getComponent().stream().filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code))
                .findFirst().orElseThrow().getValueQuantity().getValue().intValue();
    }

    @Test
    void aCompleteSetInOneTransactionGetsAScoreWithEverySubScoreTheRiskAndItsSources() {
        transaction(mediumRiskSet());

        Observation score = awaitScore(5);
        assertThat(score.getEffectiveDateTimeType().getValueAsString()).isEqualTo(WHEN);
        assertThat(score.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("medium");
        assertThat(score.getComponent()).hasSize(7);
        assertThat(component(score, "1104301000000104")).isEqualTo(2); // respiration rate 22
        assertThat(component(score, "1104311000000102")).isZero();    // SpO2 scale 1, 97%
        assertThat(component(score, "1104351000000103")).isEqualTo(2); // pulse 115
        assertThat(component(score, "1104371000000107")).isEqualTo(1); // 38.2 °C
        assertThat(score.getDerivedFrom()).hasSize(7);
        assertThat(score.getValueQuantity().getCode()).isEqualTo("{score}");
    }

    @Test
    void aScoreThatCannotBeStoredLeavesItsEventSetAsideAndIsMadeWhenTheEventIsReplayed() {
        // A fault in the database itself: while this trigger stands, no NEWS2 total can be stored.
        jdbc.execute("""
                create function refuse_news2_score() returns trigger language plpgsql as $$
                begin
                  if new.content like '%1104051000000101%' then raise exception 'no score today'; end if;
                  return new;
                end $$""");
        jdbc.execute("create trigger refuse_news2_score before insert on fhir_resource_version"
                + " for each row execute function refuse_news2_score()");
        String setAside = "select count(*) from fhir_outbox where res_type = 'Observation' and set_aside_at is not null";
        try {
            transaction(mediumRiskSet());

            // Each of the seven events finds the set complete and fails to store its score; the failure reaches the
            // relay, which counts it and in the end sets the event aside.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                relay.relayPending();
                return jdbc.queryForObject(setAside, Integer.class) == 7;
            });
        } finally {
            jdbc.execute("drop trigger refuse_news2_score on fhir_resource_version");
            jdbc.execute("drop function refuse_news2_score()");
        }
        // Three tries, the relay's limit, before it gave up on the event.
        assertThat(jdbc.queryForList("select attempts from fhir_outbox where set_aside_at is not null", Integer.class))
                .allMatch(attempts -> attempts == 3);
        assertThat(scores()).isEmpty();

        var itTeam = http.as(tokens.bearer(org.charnwood.app.testing.TestTokens.Caller
                .staff("Practitioner/it-001", org.charnwood.app.security.AccessRole.SYSTEM_ADMINISTRATOR)
                .scopes("charnwood/operations")));
        assertThat(itTeam.post("/api/operations/outbox/set-aside/replay", "", "application/json").status())
                .isEqualTo(200);

        assertThat(awaitScore(5).getDerivedFrom()).hasSize(7);
        assertThat(jdbc.queryForObject(setAside, Integer.class)).isZero();
    }

    @Test
    void separateWritesGetAScoreOnlyWhenTheSeventhInputArrives() {
        List<String> set = mediumRiskSet();
        String last = set.remove(6);
        for (String observation : set) {
            assertThat(http.post("/fhir/Observation", observation, "application/fhir+json").status()).isEqualTo(201);
        }
        assertThat(scores()).isEmpty();

        http.post("/fhir/Observation", last, "application/fhir+json");

        awaitScore(5);
    }

    @Test
    void correctingAnInputRecalculatesTheSameScore() {
        transaction(mediumRiskSet());
        Observation first = awaitScore(5);
        Observation pulse = http.get("/fhir/Observation?code=http://loinc.org%7C8867-4&subject=" + patient).bundle()
                .getEntryFirstRep().getResource() instanceof Observation o ? o : null;
        pulse.getValueQuantity().setValue(72);

        http.putJson("/fhir/Observation/" + pulse.getIdElement().getIdPart(), pulse);

        Observation corrected = awaitScore(3);
        assertThat(corrected.getIdElement().getIdPart()).isEqualTo(first.getIdElement().getIdPart());
        assertThat(corrected.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("low");
    }

    @Test
    void anIncompleteSetGetsNoScore() {
        List<String> set = mediumRiskSet();
        set.remove(5); // no consciousness level
        transaction(set);

        relay.relayPending();
        relay.relayPending();
        assertThat(scores()).isEmpty();
    }

    @Test
    void anInputMarkedEnteredInErrorWithdrawsTheScoreItMadeAsEnteredInError() {
        transaction(mediumRiskSet());
        awaitScore(5);
        Observation temperature = (Observation) http.get("/fhir/Observation?code=http://loinc.org%7C8310-5&subject="
                + patient).bundle().getEntryFirstRep().getResource();
        temperature.setStatus(Observation.ObservationStatus.ENTEREDINERROR);

        http.putJson("/fhir/Observation/" + temperature.getIdElement().getIdPart(), temperature);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                scores().get(0).getStatus() == Observation.ObservationStatus.ENTEREDINERROR);
    }

    @Test
    void aClinicianDecisionForScale2ScoresSaturationOnScale2() {
        http.post("/fhir/Flag", """
                {"resourceType":"Flag","status":"active",
                 "code":{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/news2-spo2-scale","code":"scale-2"}],
                         "text":"SpO2 scale 2 (target 88-92%%)"},
                 "subject":{"reference":"%s"},"period":{"start":"2026-11-01T00:00:00Z"}}""".formatted(patient),
                "application/fhir+json");
        List<String> set = mediumRiskSet();
        set.set(1, quantity("2708-6", "103228002", "90", "%"));
        transaction(set);

        Observation score = awaitScore(5);
        assertThat(component(score, "1104321000000108")).isZero(); // 90% is on target on scale 2
    }

    @Test
    void theDemoPopulationsScoresAreAlreadyWhatTheDerivationWouldWrite() {
        var writer = org.charnwood.demo.BundleWriter.forStandardTrust();
        var bundles = new org.charnwood.fhir.bundle.BundleProcessor(repository);
        bundles.process(writer.trustBundle(), org.charnwood.fhir.bundle.ReturnPreference.MINIMAL);
        writer.patientBundles(new org.charnwood.demo.PopulationSpec(40, 7, java.time.LocalDate.of(2026, 11, 1)))
                .forEach(b -> bundles.process(b, org.charnwood.fhir.bundle.ReturnPreference.MINIMAL));
        long scores = jdbc.queryForObject("select count(*) from fhir_resource_version where"
                + " content like '%1104051000000101%'", Long.class);
        assertThat(scores).isPositive();

        relay.relayPending();

        assertThat(jdbc.queryForObject("select count(*) from fhir_resource_version where"
                + " content like '%1104051000000101%'", Long.class)).isEqualTo(scores);
    }

    @Test
    void aRedeliveredEventDoesNotWriteASecondScore() {
        transaction(mediumRiskSet());
        awaitScore(5);
        jdbc.update("update fhir_outbox set delivered_at = null");

        relay.relayPending();

        assertThat(scores()).hasSize(1);
        assertThat(scores().get(0).getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void anotherPatientsInputsAtTheSameInstantDoNotCompleteTheSet() {
        List<String> set = mediumRiskSet();
        set.remove(6); // no temperature for this patient
        transaction(set);
        String first = patient;
        patient();
        transaction(mediumRiskSet()); // a complete set, the same instant, someone else
        awaitScore(5);

        patient = first;
        relay.relayPending();
        assertThat(scores()).isEmpty();
    }

    @Test
    void theInstantLookupFindsWhatTheSearchFindsAtEveryPrecisionAndZone() throws Exception {
        String mine = patient;
        patient();
        String someoneElse = patient;
        patient = mine;
        String subject = patient.substring("Patient/".length());
        String[] times = {"2026-11-21T10:15:30+00:00", "2026-11-21T11:15:30+01:00", "2026-11-21T10:15:30.250Z",
                "2026-11-21T10:15:30.999Z", "2026-11-21T10:15:31Z", "2026-11-21T10:15:29.999Z", "2026-11-21",
                "2026-11-21T10:15:30.250400Z", "2026-11-21T10:15:30.2Z", "2026-11-21T10:15:30.25Z"};
        for (String t : times) {
            http.post("/fhir/Observation", """
                    {"resourceType":"Observation","status":"final","code":{"text":"note"},
                     "subject":{"reference":"%s"},"effectiveDateTime":"%s"}""".formatted(patient, t),
                    "application/fhir+json");
        }
        http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"note"},
                 "subject":{"reference":"%s"},"effectiveDateTime":"2026-11-21T10:15:30Z"}""".formatted(someoneElse),
                "application/fhir+json");

        for (String t : times) {
            org.charnwood.fhir.search.DateRange span = ObservationsAtInstant.spanOf(t);
            if (span == null) {
                assertThat(t).isEqualTo("2026-11-21");
                continue;
            }
            var parameters = new java.util.LinkedHashMap<String, List<String>>();
            parameters.put("subject", List.of(patient));
            parameters.put("date", List.of("eq" + t));
            List<Long> searched = repository.search(new org.charnwood.fhir.search.SearchRequest("Observation",
                    parameters, false)).matches().stream().map(org.charnwood.fhir.StoredResource::pk).toList();
            List<Long> looked = repository.inTransaction(session ->
                    ObservationsAtInstant.keys(session.connection(), subject, span, 500));
            assertThat(looked).as(t).isNotEmpty().containsExactlyInAnyOrderElementsOf(searched);
        }
    }
}
