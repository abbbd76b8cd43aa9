package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One record of a dm+d XML file (a {@code <VMP>}, a {@code <VPI>}, an {@code <INFO>} of a lookup table ...): the
 * text of its fields by element name, with the file, line and section it came from so that a refusal can point
 * at it. Field values are trimmed; empty elements are absent.
 */
record DmdRecord(String file, int line, String section, String element, Map<String, String> fields) {

    String text(String field) {
        return fields.get(field);
    }

    String requiredText(String field) {
        String value = fields.get(field);
        if (value == null) {
            throw refused(ErrorCode.DMD_RELEASE_MALFORMED, "<" + element + "> has no <" + field + ">");
        }
        return value;
    }

    long requiredId(String field) {
        return parseId(field, requiredText(field));
    }

    /** An optional id, or 0 when absent (dm+d ids are never 0). */
    long id(String field) {
        String value = fields.get(field);
        return value == null ? 0 : parseId(field, value);
    }

    BigDecimal decimal(String field) {
        String value = fields.get(field);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw refused(ErrorCode.DMD_RELEASE_MALFORMED, "<" + field + "> is not a number: " + value);
        }
    }

    /** dm+d flags are {@code 1} (or {@code 0001}) when set and absent otherwise. */
    boolean flag(String field) {
        String value = fields.get(field);
        return value != null && !value.isEmpty() && Integer.parseInt(value.chars().allMatch(Character::isDigit)
                ? value : "0") != 0;
    }

    /** A date as dm+d writes it (ISO yyyy-mm-dd), checked so that a bad one is refused here with its line. */
    String date(String field) {
        String value = fields.get(field);
        if (value == null) {
            return null;
        }
        try {
            java.time.LocalDate.parse(value);
            return value;
        } catch (java.time.format.DateTimeParseException e) {
            throw refused(ErrorCode.DMD_RELEASE_MALFORMED, "<" + field + "> is not a date: " + value);
        }
    }

    DmdReleaseRefused refused(ErrorCode code, String message) {
        return new DmdReleaseRefused(code, file, line, message);
    }

    private long parseId(String field, String value) {
        try {
            long id = Long.parseLong(value);
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw refused(ErrorCode.DMD_RELEASE_MALFORMED, "<" + field + "> is not a SNOMED CT id: " + value);
        }
    }
}
