package org.charnwood.app.referrals;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.web.FormErrors;
import org.charnwood.fhir.identity.NhsNumber;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The details a person gives about themselves when they refer themselves, as typed, checked field by field
 * (a real date of birth, an NHS number that passes its check digit when given, a UK postcode, a way to contact
 * them), and as the provisional Patient the self-referral is stored on until triage confirms who they are.
 */
record PersonDetails(String givenName, String familyName, String dobDay, String dobMonth, String dobYear,
                     String nhsNumber, String postcode, String phone, String email) {

    private static final Pattern POSTCODE = Pattern.compile("[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    static PersonDetails empty() {
        return new PersonDetails("", "", "", "", "", "", "", "", "");
    }

    static PersonDetails from(Map<String, String> typed) {
        return new PersonDetails(v(typed, "givenName"), v(typed, "familyName"), v(typed, "dob-day"),
                v(typed, "dob-month"), v(typed, "dob-year"), v(typed, "nhsNumber"), v(typed, "postcode"),
                v(typed, "phone"), v(typed, "email"));
    }

    private static String v(Map<String, String> typed, String name) {
        return typed.getOrDefault(name, "").trim();
    }

    /** Adds a message for each field that is wrong. */
    void check(FormErrors errors, LocalDate today) {
        if (givenName.isEmpty() || givenName.length() > 100) {
            errors.add("givenName", "Enter your first name");
        }
        if (familyName.isEmpty() || familyName.length() > 100) {
            errors.add("familyName", "Enter your last name");
        }
        LocalDate dob = birthDate();
        if (dobDay.isEmpty() && dobMonth.isEmpty() && dobYear.isEmpty()) {
            errors.add("dob", "Enter your date of birth");
        } else if (dob == null) {
            errors.add("dob", "Date of birth must be a real date, like 27 3 1980");
        } else if (dob.isAfter(today)) {
            errors.add("dob", "Date of birth must be in the past");
        } else if (dob.isBefore(today.minusYears(120))) {
            errors.add("dob", "Check the year of your date of birth");
        }
        String nhs = nhsDigits();
        if (!nhs.isEmpty()) {
            String problem = NhsNumber.problem(nhs);
            if (problem != null) {
                errors.add("nhsNumber", "Enter a valid NHS number, or leave it empty: " + problem);
            }
        }
        if (!POSTCODE.matcher(normalisedPostcode()).matches()) {
            errors.add("postcode", "Enter a real postcode, like LE1 6TP");
        }
        if (phone.isEmpty() && email.isEmpty()) {
            errors.add("phone", "Enter a telephone number or an email address so we can contact you");
        } else {
            if (!phone.isEmpty() && !phone.replaceAll("[\\s()+-]", "").matches("[0-9]{10,13}")) {
                errors.add("phone", "Enter a telephone number, like 0116 496 0123 or 07700 900 982");
            }
            if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
                errors.add("email", "Enter an email address in the right format, like name@example.com");
            }
        }
    }

    LocalDate birthDate() {
        try {
            if (dobYear.length() != 4) {
                return null;
            }
            return LocalDate.of(Integer.parseInt(dobYear), Integer.parseInt(dobMonth), Integer.parseInt(dobDay));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    String nhsDigits() {
        return nhsNumber.replaceAll("[\\s-]", "");
    }

    String normalisedPostcode() {
        String pc = postcode.toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", "");
        return pc.length() > 3 ? pc.substring(0, pc.length() - 3) + " " + pc.substring(pc.length() - 3) : pc;
    }

    /**
     * The person as a Patient marked unverified: identity is checked at triage. The NHS number they gave is kept
     * as what they stated ({@link ProvisionalRecords#statedNhsNumber}), not as an identifier.
     */
    Patient asProvisionalPatient() {
        Patient patient = new Patient();
        patient.getMeta().addTag(ReferralCodes.IDENTITY_STATUS, ProvisionalRecords.UNVERIFIED,
                "Identity given by the person, to be checked at triage");
        patient.setActive(true);
        patient.addName(new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(familyName).addGiven(givenName));
        patient.setBirthDateElement(new DateType(birthDate().toString()));
        if (!nhsDigits().isEmpty()) {
            // Not an identifier: a number anyone could type must not be found by a search for the NHS number.
            ProvisionalRecords.stateNhsNumber(patient, nhsDigits());
        }
        patient.addAddress().setUse(Address.AddressUse.HOME).setPostalCode(normalisedPostcode());
        if (!phone.isEmpty()) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone);
        }
        if (!email.isEmpty()) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(email);
        }
        return patient;
    }
}
