package org.charnwood.fhir.search;

import java.util.Locale;

/** The kinds of search parameter FHIR R4 defines; each has its own index table and matching rules. */
public enum SearchParamType {
    NUMBER, DATE, STRING, TOKEN, REFERENCE, COMPOSITE, QUANTITY, URI, SPECIAL;

    /** The type named by a SearchParameter's {@code type} code ({@code token}, {@code date}, ...). */
    public static SearchParamType fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
