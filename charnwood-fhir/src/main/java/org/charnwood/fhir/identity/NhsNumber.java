package org.charnwood.fhir.identity;

import java.util.Optional;

/**
 * A ten-digit NHS number whose check digit is right. Construction refuses anything else, so holding
 * an {@code NhsNumber} means the Modulus 11 check has passed; it does not mean the number was ever
 * issued or that it is this patient's (that takes a PDS trace).
 *
 * @param value the ten ASCII digits, without spaces: the form stored and exchanged in FHIR
 */
public record NhsNumber(String value) {

    /** The identifier system UK Core and the national APIs use for NHS numbers. */
    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    /** UK Core's extension on an NHS number identifier: how far the number was checked against PDS. */
    public static final String VERIFICATION_STATUS =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    /** The code system of the verification status in England; only {@code 01} means verified against PDS. */
    public static final String VERIFICATION_STATUS_SYSTEM =
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
    /** Verification status {@code 02}: the number is present but has not been traced against PDS. */
    public static final String PRESENT_NOT_TRACED = "02";

    public NhsNumber {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Reads a number as people type it: spaces (the 3-3-4 display form) are dropped; anything else
     * that is not an ASCII digit makes it invalid. Hyphens are refused too, a local choice since
     * the standard defines no separators.
     */
    public static Optional<NhsNumber> parse(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String digits = typed.replace(" ", "");
        return isValid(digits) ? Optional.of(new NhsNumber(digits)) : Optional.empty();
    }

    /** True when the text is exactly ten ASCII digits with the right Modulus 11 check digit. */
    public static boolean isValid(String digits) {
        return problem(digits) == null;
    }

    /**
     * Why the text is not a valid NHS number, in words a clinician or integrator can act on, or
     * null when it is valid. Stored values must be exactly ten digits: no spaces.
     */
    public static String problem(String digits) {
        if (digits == null || digits.isEmpty()) {
            return "An NHS number is required";
        }
        if (digits.length() != 10) {
            return "An NHS number has 10 digits, not " + digits.length();
        }
        for (int i = 0; i < 10; i++) {
            char c = digits.charAt(i);
            // Character.isDigit would also accept other scripts' digits, such as full-width ones.
            if (c < '0' || c > '9') {
                return "An NHS number contains only the digits 0-9";
            }
        }
        int expected = checkDigit(digits);
        if (expected == 10) {
            return "No valid NHS number starts with " + digits.substring(0, 9)
                    + ": its Modulus 11 check value is 10";
        }
        if (expected != digits.charAt(9) - '0') {
            return "The check digit is wrong: a number starting " + digits.substring(0, 9)
                    + " must end in " + expected;
        }
        return null;
    }

    /** The 3-3-4 form people read and say, for example {@code 999 000 0018}. */
    public String display() {
        return value.substring(0, 3) + " " + value.substring(3, 6) + " " + value.substring(6);
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * The Modulus 11 check value of the first nine digits: weights 10 down to 2, remainder of the
     * sum by 11 taken from 11, with 11 meaning 0. A result of 10 means no number has that stem.
     */
    private static int checkDigit(String digits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        return check == 11 ? 0 : check;
    }
}
