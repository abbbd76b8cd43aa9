package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.SyntheaAdapter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Synthea patient histories, made English, load as transaction bundles and come back whole. */
class SyntheaLoadIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void syntheaSampleLoadsAndEachPatientsRecordComesBackThroughEverything() {
        BundleWriter writer = BundleWriter.forStandardTrust();
        Response trust = http.post("/fhir", FhirHttp.json(writer.trustBundle()), "application/fhir+json",
                "Prefer", "return=minimal");
        assertThat(trust.status()).as(trust.body()).isEqualTo(200);

        List<Bundle> bundles = new SyntheaAdapter(writer.trust(), 7).adaptFolder(Path.of("src/test/resources/synthea"))
                .toList();
        assertThat(bundles).hasSize(4);
        for (Bundle bundle : bundles) {
            int entries = bundle.getEntry().size();
            Response r = http.post("/fhir", FhirHttp.json(bundle), "application/fhir+json", "Prefer", "return=minimal");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            Bundle response = r.bundle();
            assertThat(response.getEntry()).hasSize(entries);
            String patientId = response.getEntry().stream()
                    .filter(e -> e.getResponse().getLocation() != null && e.getResponse().getLocation().startsWith("Patient/"))
                    .map(e -> e.getResponse().getLocation().split("/")[1]).findFirst().orElseThrow();
            Response all = http.get("/fhir/Patient/" + patientId + "/$everything?_count=1000");
            assertThat(all.status()).as(all.body()).isEqualTo(200);
            Bundle everything = all.bundle();
            assertThat(everything.getEntry().size()).isGreaterThan(entries / 2);
            assertThat(everything.getEntryFirstRep().getResource()).isInstanceOf(Patient.class);
        }
    }
}
