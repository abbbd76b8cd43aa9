package org.charnwood.app.web;

import org.charnwood.fhir.identity.NhsNumber;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

import java.util.Locale;

/** How a patient is named on every page, as NHS patient banners do: "SURNAME, Given", and the 3-3-4 NHS number. */
public final class PatientDisplay {

    private PatientDisplay() {
    }

    /** "SURNAME, Given Other" from the official name, else the first. */
    public static String name(Patient patient) {
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                .findFirst().orElse(patient.getNameFirstRep());
        if (name.isEmpty()) {
            return "Name not recorded";
        }
        String family = name.hasFamily() ? name.getFamily().toUpperCase(Locale.UK) : "";
        String given = name.getGivenAsSingleString();
        return given.isBlank() ? family : family + ", " + given;
    }

    /** The patient's NHS number in its 3-3-4 form; null when the record has none. */
    public static String nhsNumber(Patient patient) {
        return patient.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(i -> nhsNumber(i.getValue())).findFirst().orElse(null);
    }

    /** The 3-3-4 form of an NHS number; anything that is not ten digits is shown as it is. */
    public static String nhsNumber(String digits) {
        if (digits == null || !digits.matches("\\d{10}")) {
            return digits;
        }
        return digits.substring(0, 3) + " " + digits.substring(3, 6) + " " + digits.substring(6);
    }
}
