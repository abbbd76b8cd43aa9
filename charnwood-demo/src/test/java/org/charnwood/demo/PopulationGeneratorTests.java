package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PopulationGeneratorTests {

    private static final TrustShape TRUST = new TrustShapeGenerator().generate();
    private static final Pattern LLR_POSTCODE = Pattern.compile(
            "^(LE(1[0-9]?|[2-9]|65|67)|PE9) [0-9][ABD-HJLNP-UW-Z]{2}$");

    private final PopulationGenerator generator = new PopulationGenerator(TRUST, PopulationSpec.of(0, 42));

    @Test
    void givesEveryPatientAValidUniqueTestRangeNhsNumber() {
        Set<String> seen = new HashSet<>();
        generator.patients(1_000, ReferenceStyle.LITERAL).forEach(record -> {
            String nhs = record.patient().getIdentifierFirstRep().getValue();
            assertThat(nhs).startsWith("999");
            assertThat(NhsNumber.isValid(nhs)).as(nhs).isTrue();
            assertThat(seen.add(nhs)).as("duplicate " + nhs).isTrue();
        });
    }

    @Test
    void producesTheSameRecordsForTheSameSeed() {
        IParser parser = FhirContexts.r4().newJsonParser();
        PopulationGenerator again = new PopulationGenerator(TRUST, PopulationSpec.of(0, 42));
        for (int i = 0; i < 50; i++) {
            assertThat(encodeAll(parser, again.patient(i, ReferenceStyle.LITERAL)))
                    .isEqualTo(encodeAll(parser, generator.patient(i, ReferenceStyle.LITERAL)));
        }
    }

    @Test
    void producesTheSameRecordsWhateverTheMachinesTimeZone() {
        IParser parser = FhirContexts.r4().newJsonParser();
        java.util.TimeZone original = java.util.TimeZone.getDefault();
        try {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
            String inUtc = encodeAll(parser, generator.patient(3, ReferenceStyle.LITERAL));
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Australia/Sydney"));
            String inSydney = encodeAll(parser, generator.patient(3, ReferenceStyle.LITERAL));
            assertThat(inSydney).isEqualTo(inUtc);
        } finally {
            java.util.TimeZone.setDefault(original);
        }
    }

    @Test
    void producesDifferentPatientsForADifferentSeed() {
        PopulationGenerator other = new PopulationGenerator(TRUST, PopulationSpec.of(0, 43));
        assertThat(other.patient(0, ReferenceStyle.LITERAL).patient().getNameFirstRep().getNameAsSingleString()
                + other.patient(1, ReferenceStyle.LITERAL).patient().getBirthDateElement().getValueAsString())
                .isNotEqualTo(generator.patient(0, ReferenceStyle.LITERAL).patient().getNameFirstRep()
                        .getNameAsSingleString()
                        + generator.patient(1, ReferenceStyle.LITERAL).patient().getBirthDateElement()
                        .getValueAsString());
    }

    @Test
    void putsEveryoneAtAnAddressInLeicesterLeicestershireOrRutland() {
        generator.patients(1_000, ReferenceStyle.LITERAL).forEach(record -> {
            Address address = record.patient().getAddressFirstRep();
            assertThat(address.getPostalCode()).matches(LLR_POSTCODE);
            String district = address.getPostalCode().split(" ")[0];
            assertThat(Locality.allPostcodeDistricts()).contains(district);
        });
    }

    @Test
    void usesOnlyOfcomDramaPhoneNumbers() {
        generator.patients(300, ReferenceStyle.LITERAL).forEach(record ->
                record.patient().getTelecom().forEach(t ->
                        assertThat(t.getValue()).matches("07700 900\\d{3}|0116 496 0\\d{3}")));
    }

    @Test
    void averagesAboutFortyResourcesAPatientWithALongTail() {
        int[] sizes = generator.patients(1_000, ReferenceStyle.LITERAL).mapToInt(r -> r.resources().size())
                .toArray();
        double mean = java.util.Arrays.stream(sizes).average().orElse(0);
        int max = java.util.Arrays.stream(sizes).max().orElse(0);
        Map<String, Long> byType = new TreeMap<>(generator.patients(1_000, ReferenceStyle.LITERAL)
                .flatMap(r -> r.resources().stream())
                .collect(Collectors.groupingBy(Resource::fhirType, Collectors.counting())));
        System.out.printf("resources per patient: mean %.1f, max %d; by type %s%n", mean, max, byType);
        assertThat(mean).isBetween(30.0, 55.0);
        assertThat(max).isGreaterThan((int) (mean * 3));
    }

    @Test
    void everyResourceSurvivesAStrictParseRoundTrip() {
        IParser parser = FhirContexts.r4().newJsonParser();
        ResourceParser strict = new ResourceParser();
        generator.patients(200, ReferenceStyle.LITERAL).flatMap(r -> r.resources().stream()).forEach(resource -> {
            String json = parser.encodeResourceToString(resource);
            Resource parsed = strict.parse(json, FhirFormat.JSON);
            assertThat(parser.encodeResourceToString(parsed)).isEqualTo(json);
        });
        for (Resource resource : TRUST.resources()) {
            String json = parser.encodeResourceToString(resource);
            assertThat(parser.encodeResourceToString(strict.parse(json, FhirFormat.JSON))).isEqualTo(json);
        }
    }

    @Test
    void resolvesEveryReferenceInABundleToAnEntryOrTheTrust() {
        Set<String> trustIds = TRUST.resources().stream()
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .collect(Collectors.toSet());
        BundleWriter writer = new BundleWriter(TRUST);
        writer.patientBundles(200, 42).forEach(bundle -> {
            Set<String> fullUrls = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl)
                    .collect(Collectors.toSet());
            for (String reference : References.literal(bundle)) {
                assertThat(fullUrls.contains(reference) || trustIds.contains(reference))
                        .as("unresolved reference " + reference).isTrue();
            }
            assertThat(bundle.getEntryFirstRep().getResource()).isInstanceOf(Patient.class);
            assertThat(bundle.getEntryFirstRep().getRequest().getIfNoneExist())
                    .startsWith("identifier=https://fhir.nhs.uk/Id/nhs-number|999");
        });
    }

    @Test
    void putsEachCurrentInpatientInADifferentOccupiedBed() {
        List<String> beds = generator.patients(2_000, ReferenceStyle.LITERAL)
                .flatMap(r -> r.resources().stream())
                .filter(r -> r instanceof org.hl7.fhir.r4.model.Encounter e
                        && e.getStatus() == org.hl7.fhir.r4.model.Encounter.EncounterStatus.INPROGRESS)
                .map(r -> ((org.hl7.fhir.r4.model.Encounter) r).getLocation().get(1).getLocation().getReference())
                .toList();
        assertThat(beds).isNotEmpty().doesNotHaveDuplicates();
        Set<String> occupied = TRUST.wards().stream().flatMap(w -> w.occupiedBeds().stream())
                .map(b -> "Location/" + b.locationId()).collect(Collectors.toSet());
        assertThat(occupied).containsAll(beds);
    }

    private static String encodeAll(IParser parser, PatientRecord record) {
        return record.resources().stream().map(parser::encodeResourceToString).collect(Collectors.joining("\n"));
    }
}
