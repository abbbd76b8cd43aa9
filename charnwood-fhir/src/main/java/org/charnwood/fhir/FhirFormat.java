package org.charnwood.fhir;

import ca.uhn.fhir.parser.IParser;

/** The two wire formats the repository speaks. */
public enum FhirFormat {
    JSON("application/fhir+json"), XML("application/fhir+xml");

    private final String mediaType;

    FhirFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    public IParser newParser() {
        return this == JSON ? FhirContexts.r4().newJsonParser() : FhirContexts.r4().newXmlParser();
    }

    /**
     * Reads a {@code _format} value or a media type; null when it names neither format, or names a FHIR version
     * other than R4 in its {@code fhirVersion} parameter ({@code application/fhir+json; fhirVersion=3.0}).
     */
    public static FhirFormat fromMimeOrName(String value) {
        if (value == null || !isR4(value)) {
            return null;
        }
        String v = value.toLowerCase(java.util.Locale.ROOT).trim();
        int semi = v.indexOf(';');
        if (semi >= 0) {
            v = v.substring(0, semi).trim();
        }
        return switch (v) {
            case "json", "application/json", "text/json", "application/fhir+json", "application/json+fhir" -> JSON;
            case "xml", "text/xml", "application/xml", "application/fhir+xml", "application/xml+fhir" -> XML;
            default -> null;
        };
    }

    /**
     * False when a media type's {@code fhirVersion} parameter names a version other than R4's: {@code 4.0} (or a
     * {@code 4.0.x} patch release). R4 http.html#version-parameter: a client asking for another version, or sending
     * one, is answered 406 or 415 rather than given R4 as if it were what it asked for.
     */
    public static boolean isR4(String mediaType) {
        String[] parts = mediaType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("fhirVersion")) {
                String version = parameter.substring(equals + 1).trim().replace("\"", "");
                return version.equals("4.0") || version.startsWith("4.0.");
            }
        }
        return true;
    }
}
