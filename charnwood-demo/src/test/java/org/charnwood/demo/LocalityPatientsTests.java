package org.charnwood.demo;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patients of a locality added beside the generated population (the demo's district-nursing caseload), and
 * the identifiers and postcodes of the whole demo data set: the trust, its generated patients and the locality's.
 */
class LocalityPatientsTests {

    /** The demo profile's seed and sizes: 200 generated patients and 200 of the Charnwood locality. */
    private static final long SEED = 20261125L;
    private static final int COUNT = 200;
    private static final LocalDate TODAY = PopulationSpec.DEFAULT_TODAY;
    /** A UK postcode: outward code, space, inward code whose two letters are never C, I, K, M, O or V. */
    private static final Pattern POSTCODE = Pattern.compile("[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}");

    private final TrustShape trust = new TrustShapeGenerator().generate();

    private List<Patient> localityPatients() {
        return IntStream.range(0, COUNT).mapToObj(i -> LocalityPatients.patient(trust, SEED, Locality.CHARNWOOD, i,
                i % 2 == 0, LocalDate.of(1925 + i % 40, 1 + i % 12, 1 + i % 28), TODAY)).toList();
    }

    private List<Patient> generatedPatients() {
        PopulationGenerator generator = new PopulationGenerator(trust, PopulationSpec.of(COUNT, SEED));
        return IntStream.range(0, COUNT).mapToObj(i -> generator.patient(i, ReferenceStyle.TRANSACTION).patient())
                .toList();
    }

    private static String nhsNumber(Patient patient) {
        return patient.getIdentifier().stream().filter(id -> UkCore.NHS_NUMBER_SYSTEM.equals(id.getSystem()))
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    @Test
    void aLocalityPatientIsAUkCorePatientOfTheLocalityWithANhsNumberAndAPracticeThere() {
        Set<String> charnwoodPractices = new HashSet<>();
        trust.practicesIn(Locality.CHARNWOOD).forEach(p -> charnwoodPractices.add("Organization/"
                + p.organizationId()));
        Set<String> charnwoodDistricts = new HashSet<>();
        Locality.CHARNWOOD.districts().forEach(d -> charnwoodDistricts.add(d.outward()));

        for (Patient patient : localityPatients()) {
            assertThat(patient.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(UkCore.PATIENT);
            assertThat(nhsNumber(patient)).startsWith("999").satisfies(n -> assertThat(NhsNumber.isValid(n)).isTrue());
            assertThat(patient.getGeneralPractitioner()).hasSize(1);
            assertThat(charnwoodPractices).contains(patient.getGeneralPractitionerFirstRep().getReference());
            Address home = patient.getAddressFirstRep();
            assertThat(charnwoodDistricts).contains(home.getPostalCode().split(" ")[0]);
            assertThat(home.getPostalCode()).matches(POSTCODE);
        }
    }

    @Test
    void theSameIndexAndSeedGiveTheSamePatient() {
        Patient once = localityPatients().get(7);
        Patient again = LocalityPatients.patient(trust, SEED, Locality.CHARNWOOD, 7, false,
                LocalDate.of(1932, 8, 8), TODAY);
        assertThat(nhsNumber(again)).isEqualTo(nhsNumber(once));
        assertThat(again.getNameFirstRep().getFamily()).isEqualTo(once.getNameFirstRep().getFamily());
    }

    @Test
    void everyNhsNumberOfTheDemoDataPassesModulusElevenAndIsUnique() {
        List<String> numbers = new ArrayList<>();
        generatedPatients().forEach(p -> numbers.add(nhsNumber(p)));
        localityPatients().forEach(p -> numbers.add(nhsNumber(p)));

        assertThat(numbers).hasSize(2 * COUNT).allSatisfy(n -> {
            assertThat(n).startsWith("999");
            assertThat(NhsNumber.isValid(n)).as(n).isTrue();
        });
        assertThat(numbers).doesNotHaveDuplicates();
    }

    @Test
    void everyPostcodeOfTheDemoDataHasTheUkFormatAndInwardLettersThatCanExist() {
        List<String> postcodes = new ArrayList<>();
        for (Resource r : trust.resources()) {
            if (r instanceof Organization org) {
                org.getAddress().forEach(a -> postcodes.add(a.getPostalCode()));
            } else if (r instanceof org.hl7.fhir.r4.model.Location location && location.hasAddress()) {
                postcodes.add(location.getAddress().getPostalCode());
            }
        }
        for (Site site : Site.values()) {
            postcodes.add(site.postcode());
        }
        generatedPatients().forEach(p -> p.getAddress().forEach(a -> postcodes.add(a.getPostalCode())));
        localityPatients().forEach(p -> p.getAddress().forEach(a -> postcodes.add(a.getPostalCode())));

        assertThat(postcodes).hasSizeGreaterThan(2 * COUNT).allSatisfy(p -> assertThat(p).matches(POSTCODE));
    }
}
