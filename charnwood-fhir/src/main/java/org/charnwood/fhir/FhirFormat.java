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

    /** Reads a {@code _format} value or a media type; null when it names neither format. */
    public static FhirFormat fromMimeOrName(String value) {
        if (value == null) {
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
}
