package org.charnwood.fhir.search;

/** Which index table holds the values of each search parameter type. */
final class IndexTable {

    private IndexTable() {
    }

    static String of(SearchParamType type) {
        return switch (type) {
            case STRING -> "idx_string";
            case TOKEN -> "idx_token";
            case DATE -> "idx_date";
            case NUMBER -> "idx_number";
            case QUANTITY -> "idx_quantity";
            case REFERENCE -> "idx_reference";
            case URI -> "idx_uri";
            case COMPOSITE -> "idx_composite";
            case SPECIAL -> throw new IllegalArgumentException("special parameters have no index table");
        };
    }
}
