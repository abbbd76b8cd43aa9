package org.charnwood.terminology.snomed;

/**
 * One active description of a concept with its acceptability in British English (the dialect Charnwood shows)
 * and American English (used when a description has no British English entry); acceptability is null when the
 * description is not in that language refset.
 */
public record Designation(long descriptionId, String term, String languageCode, Type type, Acceptability gbEnglish,
                          Acceptability usEnglish) {

    public enum Type { FULLY_SPECIFIED_NAME, SYNONYM, DEFINITION }

    public enum Acceptability { PREFERRED, ACCEPTABLE }
}
