package org.charnwood.app.workspace;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/** How FHIR values read on the pages: names, codes, dates in the NHS style ("3 March 2026"). */
final class Text {

    static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.UK);

    private Text() {
    }

    /** "SURNAME, Given Other" as NHS patient banners show a name. */
    /** Today's date in England, where the record's people work. */
    static LocalDate today(java.time.Clock clock) {
        return clock.instant().atZone(UK).toLocalDate();
    }

    static String name(Patient patient) {
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                .findFirst().orElse(patient.getNameFirstRep());
        if (name.isEmpty()) {
            return "Name not recorded";
        }
        String family = name.hasFamily() ? name.getFamily().toUpperCase(Locale.UK) : "";
        String given = name.getGivenAsSingleString();
        return given.isBlank() ? family : family + ", " + given;
    }

    static String concept(CodeableConcept concept) {
        if (concept == null || concept.isEmpty()) {
            return "";
        }
        if (concept.hasText()) {
            return concept.getText();
        }
        for (Coding coding : concept.getCoding()) {
            if (coding.hasDisplay()) {
                return coding.getDisplay();
            }
        }
        return concept.getCodingFirstRep().getCode();
    }

    static String address(Address address) {
        List<String> parts = new ArrayList<>();
        address.getLine().forEach(l -> parts.add(l.getValue()));
        if (address.hasCity()) parts.add(address.getCity());
        if (address.hasPostalCode()) parts.add(address.getPostalCode());
        return String.join(", ", parts);
    }

    static String date(LocalDate date) {
        return date == null ? "" : DATE.format(date);
    }

    static String date(Date date) {
        return date == null ? "" : DATE.format(date.toInstant().atZone(UK));
    }

    static String dateTime(Date date) {
        return date == null ? "" : DATE_TIME.format(date.toInstant().atZone(UK));
    }

    static String dateTime(LocalDateTime time) {
        return time == null ? "" : DATE_TIME.format(time);
    }

    /** The 3-3-4 form of an NHS number; anything that is not ten digits is shown as it is. */
    static String nhsNumber(String digits) {
        if (digits == null || !digits.matches("\\d{10}")) {
            return digits;
        }
        return digits.substring(0, 3) + " " + digits.substring(3, 6) + " " + digits.substring(6);
    }
}
