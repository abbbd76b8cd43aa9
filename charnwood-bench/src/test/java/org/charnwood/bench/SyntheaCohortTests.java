package org.charnwood.bench;

import org.charnwood.bench.PatientCorpus.EncodedBundle;
import org.charnwood.demo.NhsNumber;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheaCohortTests {

    /** The smallest bundle of the benchmark's cohort, so the test adapts one small patient. */
    private static final Path SMALLEST = Path.of("data/synthea/lavern240-treutel973.json.gz");

    @Test
    void everyCopyIsANewPatientWithAValidNhsNumberOfItsOwn(@TempDir Path dir) throws Exception {
        Files.copy(SMALLEST, dir.resolve(SMALLEST.getFileName()));
        SyntheaCohort cohort = SyntheaCohort.read(dir);
        List<EncodedBundle> bundles = cohort.transactions(3);

        assertThat(bundles).hasSize(3);
        assertThat(cohort.resources(3)).isEqualTo(3L * bundles.get(0).resources());
        Set<String> numbers = new HashSet<>();
        for (EncodedBundle encoded : bundles) {
            Bundle bundle = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, encoded.json());
            assertThat(bundle.getEntry()).hasSize(encoded.resources());
            Bundle.BundleEntryComponent entry = bundle.getEntry().stream()
                    .filter(e -> e.getResource() instanceof Patient).findFirst().orElseThrow();
            String number = ((Patient) entry.getResource()).getIdentifier().stream()
                    .filter(i -> "https://fhir.nhs.uk/Id/nhs-number".equals(i.getSystem()))
                    .findFirst().orElseThrow().getValue();
            assertThat(NhsNumber.isValid(number)).as(number).isTrue();
            assertThat(number).startsWith("999");
            assertThat(entry.getRequest().getIfNoneExist())
                    .isEqualTo("identifier=https://fhir.nhs.uk/Id/nhs-number|" + number);
            numbers.add(number);
        }
        assertThat(numbers).hasSize(3);
    }
}
