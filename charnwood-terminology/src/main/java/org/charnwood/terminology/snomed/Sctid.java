package org.charnwood.terminology.snomed;

/**
 * SNOMED CT identifiers: the Verhoeff check digit and the partition identifier (the two digits before it, which
 * say whether the id names a concept, a description or a relationship, in the core or in an extension namespace).
 */
public final class Sctid {

    private static final int[][] MULTIPLY = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
            {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
            {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final int[][] PERMUTE = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
            {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
            {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    private static final int[] INVERSE = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};

    /** The kind of component an id names, from its partition identifier. */
    public enum Partition { CONCEPT, DESCRIPTION, RELATIONSHIP, OTHER }

    private Sctid() {
    }

    /** Whether the text is a well-formed SCTID: 6 to 18 digits, no leading zero, a valid check digit. */
    public static boolean valid(String text) {
        int n = text.length();
        if (n < 6 || n > 18 || text.charAt(0) == '0') {
            return false;
        }
        int c = 0;
        for (int i = 0; i < n; i++) {
            int d = text.charAt(n - 1 - i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            c = MULTIPLY[c][PERMUTE[i % 8][d]];
        }
        return c == 0;
    }

    public static boolean valid(long id) {
        return id > 0 && valid(Long.toString(id));
    }

    /** The check digit that makes {@code body} followed by that digit a valid id (used to mint synthetic ids). */
    public static int checkDigit(long body) {
        String text = Long.toString(body);
        int c = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            c = MULTIPLY[c][PERMUTE[(i + 1) % 8][text.charAt(n - 1 - i) - '0']];
        }
        return INVERSE[c];
    }

    /** Builds an id from an item number, a namespace (0 for the core) and the kind of component. */
    public static long of(long item, int namespace, Partition partition) {
        int kind = switch (partition) {
            case CONCEPT -> 0;
            case DESCRIPTION -> 1;
            case RELATIONSHIP -> 2;
            case OTHER -> throw new IllegalArgumentException("no partition for " + partition);
        };
        long body = namespace == 0 ? item * 100 + kind
                : (item * 10_000_000L + namespace) * 100 + 10 + kind;
        return body * 10 + checkDigit(body);
    }

    /**
     * The kind of component from the partition identifier: its first digit is 0 for the core and 1 for an
     * extension namespace, its second the kind; anything else is {@link Partition#OTHER}.
     */
    public static Partition partition(String text) {
        if (text.length() < 3 || text.charAt(text.length() - 3) != '0' && text.charAt(text.length() - 3) != '1') {
            return Partition.OTHER;
        }
        return switch (text.charAt(text.length() - 2)) {
            case '0' -> Partition.CONCEPT;
            case '1' -> Partition.DESCRIPTION;
            case '2' -> Partition.RELATIONSHIP;
            default -> Partition.OTHER;
        };
    }
}
