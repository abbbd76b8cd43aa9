package org.charnwood.terminology.ecl;

/** Where expression constraints come from: parse ECL text once, then evaluate the result as often as needed. */
public final class Ecl {

    private Ecl() {
    }

    /**
     * Reads an ECL 2.x expression constraint.
     *
     * @throws EclSyntaxException when the text is not a valid or supported constraint, saying where
     */
    public static EclExpression parse(String ecl) {
        if (ecl == null) {
            throw new IllegalArgumentException("no expression constraint given");
        }
        return new EclExpression(ecl, EclParser.parse(ecl));
    }

    /** An expression for a syntax tree built in code (for example a value set's include rules). */
    public static EclExpression of(Constraint constraint) {
        return new EclExpression(EclWriter.write(constraint), constraint);
    }
}
