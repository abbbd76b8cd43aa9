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

    /** Today's date in England, where the record's people work. */
    static LocalDate today(java.time.Clock clock) {
        return clock.instant().atZone(UK).toLocalDate();
    }

    /** "SURNAME, Given Other" as NHS patient banners show a name. */
    static String name(Patient patient) {
        return org.charnwood.app.web.PatientDisplay.name(patient);
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

    static String nhsNumber(String digits) {
        return org.charnwood.app.web.PatientDisplay.nhsNumber(digits);
    }
}
