package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheaAdapterTests {

    private static final TrustShape TRUST = new TrustShapeGenerator().generate();
    private final SyntheaAdapter adapter = new SyntheaAdapter(TRUST, 42);

    private static Path syntheaFolder() {
        try {
            return Path.of(SyntheaAdapterTests.class.getResource("/synthea").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Bundle> adapted() {
        return adapter.adaptFolder(syntheaFolder()).toList();
    }

    @Test
    void adaptsEveryPatientBundleInTheFolder() {
        assertThat(adapted()).hasSize(4);
    }

    @Test
    void leavesNoUsIdentifiersProfilesOrExtensions() {
        IParser parser = FhirContexts.r4().newJsonParser();
        for (Bundle bundle : adapted()) {
            String json = parser.encodeResourceToString(bundle);
            for (String us : List.of("us-ssn", "us-npi", "passport-USA", "2.16.840.1.113883.4.3.",
                    "hospital.smarthealthit.org", "/fhir/us/", "us-core", "patient-birthPlace",
                    "mothersMaidenName", "geolocation", "Massachusetts", "ExplanationOfBenefit", "\"Claim\"",
                    "\"value\":\"555-", "\"state\"")) {
                int at = json.indexOf(us);
                assertThat(at).as(us + " found near: " + (at < 0 ? "" : json.substring(Math.max(0, at - 200),
                        Math.min(json.length(), at + 100)))).isEqualTo(-1);
            }
        }
    }

    @Test
    void givesEachPatientAValidDistinctNhsNumberAndAnLlrAddress() {
        Set<String> numbers = new HashSet<>();
        for (Bundle bundle : adapted()) {
            Patient patient = (Patient) bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r instanceof Patient).findFirst().orElseThrow();
            String nhs = patient.getIdentifierFirstRep().getValue();
            assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(UkCore.NHS_NUMBER_SYSTEM);
            assertThat(NhsNumber.isValid(nhs)).isTrue();
            assertThat(nhs).startsWith("999");
            assertThat(numbers.add(nhs)).isTrue();
            assertThat(patient.getIdentifier()).allSatisfy(id ->
                    assertThat(id.getSystem()).isIn(UkCore.NHS_NUMBER_SYSTEM, "https://github.com/synthetichealth/synthea"));
            assertThat(patient.getAddress()).singleElement().satisfies(address -> {
                assertThat(address.getState()).isNull();
                assertThat(address.getCountry()).isNull();
                assertThat(Locality.allPostcodeDistricts()).contains(address.getPostalCode().split(" ")[0]);
            });
            assertThat(patient.getTelecom()).allSatisfy(t ->
                    assertThat(t.getValue()).matches("07700 900\\d{3}|0116 496 0\\d{3}"));
            assertThat(patient.getNameFirstRep().getFamily()).doesNotContainPattern("[0-9]");
            assertThat(patient.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(UkCore.PATIENT);
            assertThat(patient.getGeneralPractitionerFirstRep().getReference()).startsWith("Organization/gp-c829");
        }
    }

    @Test
    void keepsTheClinicalContent() {
        Bundle original = adapter.adaptFolder(syntheaFolder()).findFirst().orElseThrow();
        assertThat(original.getEntry()).extracting(e -> e.getResource().fhirType())
                .contains("Encounter", "Condition", "Observation", "Procedure");
    }

    @Test
    void resolvesEveryReferenceToAnEntryOrTheTrust() {
        Set<String> trustIds = TRUST.resources().stream()
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).collect(Collectors.toSet());
        for (Bundle bundle : adapted()) {
            Set<String> fullUrls = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl)
                    .collect(Collectors.toSet());
            for (String reference : References.literal(bundle)) {
                assertThat(fullUrls.contains(reference) || trustIds.contains(reference))
                        .as("unresolved reference " + reference).isTrue();
            }
        }
    }

    @Test
    void producesResourcesTheStrictParserAccepts() {
        IParser parser = FhirContexts.r4().newJsonParser();
        ResourceParser strict = new ResourceParser();
        for (Bundle bundle : adapted()) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource parsed = strict.parse(parser.encodeResourceToString(entry.getResource()), FhirFormat.JSON);
                assertThat(parsed.fhirType()).isEqualTo(entry.getResource().fhirType());
            }
        }
    }

    @Test
    void isDeterministicForTheSameSeed() {
        IParser parser = FhirContexts.r4().newJsonParser();
        List<String> first = adapted().stream().map(parser::encodeResourceToString).toList();
        List<String> second = new SyntheaAdapter(TRUST, 42).adaptFolder(syntheaFolder())
                .map(parser::encodeResourceToString).toList();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void writesAdaptedBundlesToAFolder(@TempDir Path out) throws Exception {
        assertThat(adapter.adaptFolder(syntheaFolder(), out)).isEqualTo(4);
        try (var files = Files.list(out)) {
            assertThat(files.count()).isEqualTo(4);
        }
    }
}
