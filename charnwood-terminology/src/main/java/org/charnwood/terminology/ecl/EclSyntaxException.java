package org.charnwood.terminology.ecl;

/**
 * The text is not a valid (or not a supported) expression constraint. The message says what was expected and where,
 * e.g. {@code expected ')' at line 1, column 23 (offset 22), found end of input}; the position is also available
 * as numbers so that an editor can put a marker on it.
 */
public class EclSyntaxException extends EclException {

    private final String expected;
    private final int offset;
    private final int line;
    private final int column;

    public EclSyntaxException(String expected, String found, int offset, int line, int column) {
        super(expected + " at line " + line + ", column " + column + " (offset " + offset + ")"
                + (found == null ? "" : ", found " + found));
        this.expected = expected;
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /** What the parser wanted at the position, e.g. {@code expected ')'}. */
    public String expected() {
        return expected;
    }

    /** Zero-based character offset into the constraint text. */
    public int offset() {
        return offset;
    }

    /** One-based line number. */
    public int line() {
        return line;
    }

    /** One-based column within the line. */
    public int column() {
        return column;
    }
}
