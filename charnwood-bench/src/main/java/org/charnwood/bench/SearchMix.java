package org.charnwood.bench;

import org.charnwood.bench.SearchSample.ObservationFacts;
import org.charnwood.bench.SearchSample.PatientFacts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * Builds the searches of the mix from a sample: each query kind equally likely, each filled with a randomly
 * chosen sampled patient (or observation), so the server cannot answer from one hot cached row.
 */
final class SearchMix {

    /** The generator's reference date: histories end here, so "recent" is measured back from it. */
    private static final LocalDate DATA_TODAY = org.charnwood.demo.PopulationSpec.DEFAULT_TODAY;
    private static final SearchQuery[] KINDS = SearchQuery.values();
    private static final String NO_OBSERVATION_CODE = "http://loinc.org|8867-4";

    private final List<PatientFacts> patients;
    private final List<PatientFacts> withNhsNumber;
    private final List<PatientFacts> withFamilyAndBirth;
    private final List<PatientFacts> withPostcode;
    private final List<ObservationFacts> observations;

    SearchMix(SearchSample sample) {
        patients = sample.patients();
        withNhsNumber = patients.stream().filter(p -> p.nhsNumber() != null).toList();
        withFamilyAndBirth = patients.stream().filter(p -> p.family() != null && p.birthDate() != null).toList();
        withPostcode = patients.stream().filter(p -> p.postcode() != null).toList();
        observations = sample.observations();
        if (patients.isEmpty()) {
            throw new IllegalArgumentException("a search mix needs at least one sampled patient");
        }
    }

    SearchQuery pick(Random random) {
        return KINDS[random.nextInt(KINDS.length)];
    }

    /** The path and query of one search of {@code kind}, URL-encoded, relative to the FHIR base. */
    String url(SearchQuery kind, Random random) {
        return switch (kind) {
            case NHS_NUMBER -> {
                PatientFacts p = any(withNhsNumber, random);
                yield "/Patient?identifier=" + enc(SearchSampler.NHS_NUMBER_SYSTEM + "|" + p.nhsNumber());
            }
            case FAMILY_AND_BIRTHDATE -> {
                PatientFacts p = any(withFamilyAndBirth, random);
                yield "/Patient?family=" + enc(p.family()) + "&birthdate=" + enc(p.birthDate());
            }
            case RECENT_OBSERVATIONS -> {
                String subject;
                String code;
                if (observations.isEmpty()) {
                    subject = any(patients, random).id();
                    code = NO_OBSERVATION_CODE;
                } else {
                    ObservationFacts o = observations.get(random.nextInt(observations.size()));
                    subject = o.patientId();
                    code = o.system() == null ? o.code() : o.system() + "|" + o.code();
                }
                yield "/Observation?subject=" + enc("Patient/" + subject) + "&code=" + enc(code)
                        + "&_sort=-date&_count=10";
            }
            case RECENT_ENCOUNTERS -> "/Encounter?patient=" + enc("Patient/" + any(patients, random).id())
                    + "&date=" + enc("ge" + DATA_TODAY.minusDays(30 + random.nextInt(3 * 365)));
            case ACTIVE_CONDITIONS -> "/Condition?patient=" + enc("Patient/" + any(patients, random).id())
                    + "&clinical-status=active";
            case ACTIVE_MEDICATIONS -> "/MedicationRequest?patient=" + enc("Patient/" + any(patients, random).id())
                    + "&status=active";
            case PATIENT_PREFIX -> {
                PatientFacts p = any(withPostcode, random);
                if (p.postcode() != null && (random.nextBoolean() || p.family() == null)) {
                    yield "/Patient?address-postalcode=" + enc(district(p.postcode())) + "&_count=20";
                }
                String family = p.family() == null ? "A" : p.family();
                yield "/Patient?name=" + enc(family.substring(0, Math.min(3, family.length()))) + "&_count=20";
            }
        };
    }

    /** The outward code of a UK postcode ("LE11 3AB" gives "LE11"); the whole value when it has no space. */
    static String district(String postcode) {
        String trimmed = postcode.strip();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    private PatientFacts any(List<PatientFacts> preferred, Random random) {
        List<PatientFacts> from = preferred.isEmpty() ? patients : preferred;
        return from.get(random.nextInt(from.size()));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
