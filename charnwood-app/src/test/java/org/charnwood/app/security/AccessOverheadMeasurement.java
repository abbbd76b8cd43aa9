package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.PopulationSpec;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Not a test: measures what the access policy adds, run by hand with
 * {@code ./mvnw -pl charnwood-app -am test -Dtest=AccessOverheadMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 * Ingest: demo patient bundles posted as a full-access system, against the time the policy's per-entry checks
 * take alone. Search: the same searches by a full-access system and by a clinician with a caseload, whose
 * searches carry the compartment and label restriction in SQL.
 */
class AccessOverheadMeasurement extends CharnwoodIntegrationTest {

    private static final int PATIENTS = 150;
    private static final int ROUNDS = 150;

    @Autowired
    FhirRepository repository;

    @Autowired
    AccessPolicy policy;

    @Autowired
    CareRelationships relationships;

    @Test
    void measure() {
        BundleWriter writer = BundleWriter.forStandardTrust();
        new BundleProcessor(repository).process(writer.trustBundle(), ReturnPreference.MINIMAL);
        List<Bundle> bundles = writer.patientBundles(new PopulationSpec(PATIENTS, 7, LocalDate.of(2026, 11, 25)))
                .toList();
        FhirHttp system = http.as(tokens.bearer(Caller.system("system/*.cruds")));
        long t = System.nanoTime();
        int entries = 0;
        for (Bundle b : bundles) {
            entries += b.getEntry().size();
            var r = system.post("/fhir", FhirHttp.json(b), "application/fhir+json",
                    "Prefer", "return=minimal");
            if (r.status() != 200) {
                throw new IllegalStateException(r.body());
            }
        }
        double ingestMs = (System.nanoTime() - t) / 1e6;
        Requester sys = new Requester(Requester.Kind.SYSTEM, "s", null, java.util.Set.of(), null, "c",
                List.of("system/*.cruds"), null, null, null, null);
        t = System.nanoTime();
        for (Bundle b : bundles) {
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                policy.write(sys, FhirAction.CREATE, e.getResource().fhirType(), null, e.getResource());
            }
        }
        double checkMs = (System.nanoTime() - t) / 1e6;
        System.out.printf("INGEST %d entries in %.0f ms (%.0f/s); policy checks %.1f ms = %.2f%%%n", entries,
                ingestMs, entries / ingestMs * 1000, checkMs, 100 * checkMs / ingestMs);

        String staffId = jdbc.queryForObject("""
                select x.target_id from idx_reference x where x.res_type = 'PractitionerRole'
                   and x.param = 'practitioner' and x.res_pk in (
                     select r.res_pk from fhir_resource r join idx_reference m on true
                      where r.res_type = 'PractitionerRole' and m.res_type = 'CareTeam' and m.param = 'participant'
                        and m.target_type = 'PractitionerRole' and m.target_id = r.res_id) limit 1""", String.class);
        FhirHttp staff = http.as(tokens.bearer(Caller.staff("Practitioner/" + staffId, AccessRole.REGISTERED_NURSE)));
        relationships.forgetAll();
        java.util.Set<String> caseload = relationships.patientsOf("Practitioner/" + staffId);
        String patient = caseload.isEmpty() ? "none" : caseload.iterator().next();
        System.out.printf("STAFF %s caseload %d patients%n", staffId, caseload.size());
        String[] queries = {
                "/fhir/Observation?subject=Patient/" + patient + "&_count=20",
                "/fhir/Encounter?patient=" + patient,
                "/fhir/Observation?category=vital-signs&_count=20",
                "/fhir/Patient?gender=female&_count=20",
                "/fhir/Condition?_count=20&_total=accurate",
                "/fhir/Patient/" + patient + "/$everything?_count=50"};
        for (String q : queries) {
            long[] sysTimes = times(q, system);
            long[] staffTimes = times(q, staff);
            System.out.printf("SEARCH %-60s system p50 %5.1f p99 %6.1f ms | staff p50 %5.1f p99 %6.1f ms%n", q,
                    sysTimes[ROUNDS / 2] / 1e6, sysTimes[ROUNDS * 99 / 100] / 1e6,
                    staffTimes[ROUNDS / 2] / 1e6, staffTimes[ROUNDS * 99 / 100] / 1e6);
        }
    }

    private long[] times(String path, FhirHttp caller) {
        for (int i = 0; i < 10; i++) {
            caller.get(path);
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            var r = caller.get(path);
            out.add(System.nanoTime() - t);
            if (r.status() != 200) {
                throw new IllegalStateException(path + " " + r.status() + " " + r.body());
            }
        }
        Collections.sort(out);
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
