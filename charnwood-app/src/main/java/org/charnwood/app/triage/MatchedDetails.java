package org.charnwood.app.triage;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.fhir.identity.NhsNumber;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What of the details a person gave matched the existing record a triager linked their self-referral to, and what
 * did not, in words for information governance's review: the link rests on these and the triager's judgement.
 */
final class MatchedDetails {

    private MatchedDetails() {
    }

    /** For example "Same as the record: date of birth 1991-04-03, surname Patel; different: postcode (gave ...)". */
    static String describe(Patient given, Patient record) {
        List<String> same = new ArrayList<>();
        List<String> different = new ArrayList<>();
        List<String> notGiven = new ArrayList<>();
        // Linking requires these two (IdentityConfirmations.sameDetails).
        same.add("date of birth " + given.getBirthDateElement().getValueAsString());
        same.add("surname " + given.getName().stream().filter(HumanName::hasFamily).map(HumanName::getFamily)
                .findFirst().orElse(""));
        String firstName = given.getName().stream().flatMap(n -> n.getGiven().stream()).map(g -> g.getValue())
                .filter(Objects::nonNull).findFirst().orElse(null);
        compare("first name", firstName, record.getName().stream().flatMap(n -> n.getGiven().stream())
                .map(g -> g.getValue()).filter(Objects::nonNull).toList(), same, different, notGiven);
        String stated = ProvisionalRecords.statedNhsNumber(given).orElse(given.getIdentifier().stream()
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).map(Identifier::getValue).findFirst()
                .orElse(null));
        compare("NHS number", stated == null ? null : PatientDisplay.nhsNumber(stated), record.getIdentifier().stream()
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()) && i.hasValue())
                .map(i -> PatientDisplay.nhsNumber(i.getValue())).toList(), same, different, notGiven);
        String postcode = given.getAddress().stream().filter(Address::hasPostalCode).map(Address::getPostalCode)
                .findFirst().orElse(null);
        compare("postcode", postcode, record.getAddress().stream().filter(Address::hasPostalCode)
                .map(Address::getPostalCode).toList(), same, different, notGiven);
        StringBuilder out = new StringBuilder("Same as the record: ").append(String.join(", ", same));
        if (!different.isEmpty()) {
            out.append("; different: ").append(String.join(", ", different));
        }
        if (!notGiven.isEmpty()) {
            out.append("; not given: ").append(String.join(", ", notGiven));
        }
        return out.toString();
    }

    private static void compare(String what, String given, List<String> onRecord, List<String> same,
                                List<String> different, List<String> notGiven) {
        if (given == null || given.isBlank()) {
            notGiven.add(what);
        } else if (onRecord.stream().anyMatch(r -> normal(r).equals(normal(given)))) {
            same.add(what + " " + given.strip());
        } else {
            different.add(what + " (gave " + given.strip() + (onRecord.isEmpty() ? ", the record has none)"
                    : ", the record has " + String.join(" or ", onRecord) + ")"));
        }
    }

    private static String normal(String value) {
        return value.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    }
}
