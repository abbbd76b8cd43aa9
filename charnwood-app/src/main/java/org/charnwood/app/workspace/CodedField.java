package org.charnwood.app.workspace;

/**
 * A form field that takes a SNOMED CT concept, limited by an expression constraint: what the typeahead offers and
 * what the server accepts are the same set.
 *
 * @param name  the field's name in the form: the typed text is {@code <name>Term}, the chosen code {@code <name>Code}
 * @param noun  what the field holds, in a sentence ("problem", "substance or product")
 * @param ecl   the constraint every code must meet
 * @param range the constraint in words, for the message when a code falls outside it
 */
record CodedField(String name, String noun, String ecl, String range) {

    static final CodedField PROBLEM = new CodedField("problem", "problem",
            "<< 404684003 |Clinical finding|", "a clinical finding");
    static final CodedField ALLERGEN = new CodedField("substance", "substance or product",
            "<< 105590001 |Substance| OR << 373873005 |Pharmaceutical / biologic product|",
            "a substance or a pharmaceutical or biologic product");
    static final CodedField REACTION = new CodedField("reaction", "reaction",
            "<< 404684003 |Clinical finding|", "a clinical finding");
    static final CodedField CARE_PLAN_CATEGORY = new CodedField("category", "type of care plan",
            "<< 734163000 |Care plan|", "a kind of care plan");

    public String termField() {
        return name + "Term";
    }

    public String codeField() {
        return name + "Code";
    }

    public String choiceField() {
        return name + "Choice";
    }
}
