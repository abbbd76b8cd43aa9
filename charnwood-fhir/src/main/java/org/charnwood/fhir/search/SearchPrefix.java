package org.charnwood.fhir.search;

/** The comparison prefixes of number, date and quantity search values ({@code ge2020}, {@code lt5.4}). */
enum SearchPrefix {
    EQ, NE, GT, LT, GE, LE, SA, EB, AP;

    /** A value split into its prefix (EQ when none) and the rest. */
    record Prefixed(SearchPrefix prefix, String value) {
    }

    static Prefixed split(String raw) {
        if (raw.length() > 2 && Character.isLetter(raw.charAt(0)) && Character.isLetter(raw.charAt(1))) {
            String p = raw.substring(0, 2);
            for (SearchPrefix prefix : values()) {
                if (prefix.name().equalsIgnoreCase(p)) {
                    return new Prefixed(prefix, raw.substring(2));
                }
            }
        }
        return new Prefixed(EQ, raw);
    }
}
