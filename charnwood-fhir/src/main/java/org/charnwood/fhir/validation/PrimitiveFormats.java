package org.charnwood.fhir.validation;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The lexical rules of the R4 primitive types that HAPI's parser does not enforce itself: it
 * accepts a dateTime without a time zone, an id with underscores or a code with double spaces,
 * and a programmatically built resource has never been through a parser at all.
 */
final class PrimitiveFormats {

    /** R4 caps every primitive at 1 MB; larger content belongs in an Attachment or a Binary. */
    static final int MAX_STRING_BYTES = 1024 * 1024;

    private static final String YEAR = "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)";
    private static final String MONTH = "(0[1-9]|1[0-2])";
    private static final String DAY = "(0[1-9]|[1-2][0-9]|3[0-1])";
    private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?";
    private static final String ZONE = "(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))";

    private static final Pattern DATE = Pattern.compile(YEAR + "(-" + MONTH + "(-" + DAY + ")?)?");
    private static final Pattern DATE_TIME = Pattern.compile(
            YEAR + "(-" + MONTH + "(-" + DAY + "(T" + TIME + ZONE + ")?)?)?");
    private static final Pattern INSTANT = Pattern.compile(YEAR + "-" + MONTH + "-" + DAY + "T" + TIME + ZONE);
    private static final Pattern TIME_OF_DAY = Pattern.compile(TIME);
    private static final Pattern OID = Pattern.compile("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+");
    private static final Pattern UUID = Pattern.compile(
            "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private PrimitiveFormats() {
    }

    /**
     * Why {@code value} is not a valid lexical form of the primitive type {@code type}, or null when
     * it is. Types without rules of their own here (boolean, integer, decimal, base64Binary) are
     * checked by the parser when it builds the value.
     */
    static String problem(String type, String value) {
        if (value.isEmpty()) {
            return "A " + type + " value cannot be empty: leave the element out instead";
        }
        return switch (type) {
            case "string", "markdown" -> stringProblem(value);
            case "code" -> codeProblem(value);
            case "id" -> idProblem(value);
            case "uri", "url", "canonical" -> uriProblem(type, value);
            case "oid" -> OID.matcher(value).matches() ? null
                    : "'" + value + "' is not a valid oid (urn:oid: followed by dotted numbers)";
            case "uuid" -> UUID.matcher(value).matches() ? null
                    : "'" + value + "' is not a valid uuid (urn:uuid: and a lower-case UUID)";
            case "date" -> DATE.matcher(value).matches() ? null
                    : "'" + value + "' is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)";
            case "dateTime" -> DATE_TIME.matcher(value).matches() ? null : dateTimeProblem(value);
            case "instant" -> INSTANT.matcher(value).matches() ? null
                    : "'" + value + "' is not a valid instant: it needs a full date, a time to the second "
                    + "and a time zone";
            case "time" -> TIME_OF_DAY.matcher(value).matches() ? null
                    : "'" + value + "' is not a valid time (hh:mm:ss)";
            default -> null;
        };
    }

    /** Range checks the integer types add to plain integer. */
    static String integerProblem(String type, Integer value) {
        if (value == null) {
            return null;
        }
        if ("positiveInt".equals(type) && value < 1) {
            return "A positiveInt must be 1 or more, not " + value;
        }
        if ("unsignedInt".equals(type) && value < 0) {
            return "An unsignedInt must be 0 or more, not " + value;
        }
        return null;
    }

    /**
     * R4 sets no size for a decimal (it asks for at least the 18 digits of XML Schema's decimal, and its examples,
     * such as observation-decimal, carry far more), so a decimal is taken and stored as written however many digits
     * it has, up to what every reader of the record can take back: {@value #MAX_DECIMAL_LENGTH} characters, the
     * longest number the usual JSON readers (Jackson's, HAPI's, this server's) read. A longer one, which XML can
     * carry, would be answered in JSON that they refuse. Nor is a number no measurement could be taken, one whose
     * exponent writes shortly what has more digits before the point than that, or more after it than the database's
     * numbers hold ({@value #MAX_DECIMAL_PLACES}). The search index holds each decimal to fewer places and rounds
     * beyond them (DecimalPrecision), which no write is refused for.
     */
    static String decimalProblem(BigDecimal value, String text) {
        if (text != null && text.length() > MAX_DECIMAL_LENGTH) {
            return "The decimal is " + text.length() + " characters long; a decimal may have at most "
                    + MAX_DECIMAL_LENGTH + ", the longest number JSON readers take";
        }
        if (value != null && value.precision() - value.scale() > MAX_DECIMAL_LENGTH) {
            return "The decimal has more than " + MAX_DECIMAL_LENGTH + " digits before the decimal point";
        }
        if (value != null && value.scale() > MAX_DECIMAL_PLACES) {
            return "The decimal has more than " + MAX_DECIMAL_PLACES + " digits after the decimal point";
        }
        return null;
    }

    /** The longest decimal, in characters: the longest number Jackson's JSON reader takes by default. */
    private static final int MAX_DECIMAL_LENGTH = 1000;

    /** The most digits after the point: what PostgreSQL's {@code numeric} can hold. */
    private static final int MAX_DECIMAL_PLACES = 16383;

    private static String stringProblem(String value) {
        if (value.length() > MAX_STRING_BYTES / 4
                && value.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            return "The value is longer than the 1 MB that a FHIR primitive may hold";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
                return "The value contains the control character U+" + String.format("%04X", (int) c)
                        + ", which FHIR strings may not hold";
            }
        }
        return null;
    }

    private static String codeProblem(String value) {
        char previous = ' ';
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || previous == ' ')) {
                return "'" + value + "' is not a valid code: codes have no leading, trailing or repeated white space";
            }
            previous = c;
        }
        return previous == ' '
                ? "'" + value + "' is not a valid code: codes have no leading, trailing or repeated white space"
                : null;
    }

    static String idProblem(String value) {
        if (value.length() > 64) {
            return "The id '" + value + "' is longer than 64 characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.';
            if (!ok) {
                return "The id '" + value + "' may only contain letters, digits, '-' and '.'";
            }
        }
        return null;
    }

    private static String uriProblem(String type, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return "The " + type + " '" + value + "' contains white space";
            }
        }
        int fragment = value.indexOf('#');
        String beforeFragment = fragment < 0 ? value : value.substring(0, fragment);
        if (value.startsWith("urn:uuid:") && !UUID.matcher(beforeFragment).matches()) {
            return "'" + value + "' is not a valid urn:uuid: UUIDs must be valid and lower-case";
        }
        if (value.startsWith("urn:oid:") && !OID.matcher(beforeFragment).matches()) {
            return "'" + value + "' is not a valid urn:oid";
        }
        return null;
    }

    private static String dateTimeProblem(String value) {
        if (value.contains("T") && !value.endsWith("Z") && value.indexOf('+') < 0
                && value.lastIndexOf('-') < value.indexOf('T')) {
            return "'" + value + "' is not a valid dateTime: if a date has a time, it must have a time zone";
        }
        return "'" + value + "' is not a valid dateTime (a date, or a date and time to the second with a time zone)";
    }

    /** True when the text starts with a URI scheme, which is how FHIR tells absolute from relative. */
    static boolean isAbsoluteUri(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
