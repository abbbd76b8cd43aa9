package org.charnwood.demo;

import org.hl7.fhir.r4.model.Patient;

import java.time.LocalDate;

/**
 * Patients of one locality added beside the generated population, such as a district-nursing team's housebound
 * caseload: English patients as UK Core expects them, like the generated ones (a 999-range NHS number, an LLR
 * home address in the locality with a postcode that can exist, a GP practice of the locality), without a history.
 *
 * <p>Patient {@code i} gets NHS number index {@link #FIRST_NHS_INDEX} {@code + i} of the dataset's seed, so with the
 * same seed as the generated population its numbers never repeat one of the first 300,000 generated patients'
 * nor an adapted Synthea patient's ({@link SyntheaAdapter#FIRST_NHS_INDEX} onwards).
 */
public final class LocalityPatients {

    /** Where locality patients start in a seed's test-range numbering: after generated ones, before Synthea's. */
    public static final int FIRST_NHS_INDEX = 300_000;
    /** How many locality patients one seed can number. */
    public static final int CAPACITY = SyntheaAdapter.FIRST_NHS_INDEX - FIRST_NHS_INDEX;

    private LocalityPatients() {
    }

    /**
     * Patient {@code index} of {@code locality} in the dataset of {@code seed}, born on {@code birthDate}; the same
     * arguments always give the same patient. The caller gives it its id.
     */
    public static Patient patient(TrustShape trust, long seed, Locality locality, int index, boolean female,
                                  LocalDate birthDate, LocalDate today) {
        if (index < 0 || index >= CAPACITY) {
            throw new IllegalArgumentException("locality patient index " + index + " is outside 0.." + (CAPACITY - 1));
        }
        Dice dice = new Dice(Dice.mix(seed ^ 0x10CA_7E11L, index));
        Person person = Person.draw(dice, trust, locality, female, birthDate, today);
        Patient patient = new Patient();
        EnglishPatient.describe(patient, person, NhsNumber.testNumber(seed, FIRST_NHS_INDEX + index), dice, today);
        return patient;
    }
}
