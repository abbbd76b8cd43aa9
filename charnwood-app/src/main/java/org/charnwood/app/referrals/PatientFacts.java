package org.charnwood.app.referrals;

import java.time.LocalDate;
import java.util.Set;

/**
 * What a pathway's rules are checked against: the patient's age, home postcode, registered practice and the
 * SNOMED CT codes of their record and of the referral's reason.
 *
 * @param birthDate  null when not known
 * @param postcode   the home postcode, null when not known
 * @param practices  ODS codes of the registered GP practice (empty when not known)
 * @param codes      SNOMED CT concept ids of Conditions, Observations and Procedures, and the referral's reasonCode
 * @param on         the day the referral is checked, for the age
 */
record PatientFacts(LocalDate birthDate, String postcode, Set<String> practices, Set<Long> codes, LocalDate on) {

    PatientFacts {
        practices = Set.copyOf(practices);
        codes = Set.copyOf(codes);
    }

    Integer age() {
        return birthDate == null ? null : java.time.Period.between(birthDate, on).getYears();
    }
}
