package org.charnwood.app.referrals;

import org.charnwood.app.web.FormErrors;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class PersonDetailsTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private static FormErrors check(PersonDetails person) {
        FormErrors errors = new FormErrors();
        person.check(errors, TODAY);
        return errors;
    }

    @Test
    void acceptsAPersonWithAValidNhsNumberAndATelephoneNumber() {
        assertThat(check(new PersonDetails("Asha", "Patel", "17", "5", "1990", "943 476 5919", "le1 3ab",
                "0116 496 0123", "")).isEmpty()).isTrue();
    }

    @Test
    void refusesAnNhsNumberWithAWrongCheckDigitButAllowsNone() {
        FormErrors errors = check(new PersonDetails("Asha", "Patel", "17", "5", "1990", "9434765918", "LE1 3AB",
                "", "asha@example.com"));
        assertThat(errors.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("nhsNumber");
            assertThat(p.message()).contains("check digit");
        });
        assertThat(check(new PersonDetails("Asha", "Patel", "17", "5", "1990", "", "LE1 3AB", "", "asha@example.com"))
                .isEmpty()).isTrue();
    }

    @Test
    void refusesAnImpossibleDateAMissingContactAndAPostcodeThatIsNotOne() {
        FormErrors errors = check(new PersonDetails("Asha", "Patel", "31", "2", "1990", "", "Leicester", "", ""));
        assertThat(errors.problems()).extracting(FormErrors.Problem::field).containsExactly("dob", "postcode", "phone");
    }

    @Test
    void aProvisionalPatientIsMarkedUnverified() {
        var patient = new PersonDetails("Asha", "Patel", "17", "5", "1990", "9434765919", "le13ab", "0116 496 0123", "")
                .asProvisionalPatient();
        assertThat(patient.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, "unverified")).isNotNull();
        assertThat(patient.getAddressFirstRep().getPostalCode()).isEqualTo("LE1 3AB");
        // What was typed is kept as stated, never as an identifier an NHS-number search would find.
        assertThat(patient.getIdentifier()).isEmpty();
        assertThat(org.charnwood.app.security.ProvisionalRecords.statedNhsNumber(patient)).contains("9434765919");
    }
}
