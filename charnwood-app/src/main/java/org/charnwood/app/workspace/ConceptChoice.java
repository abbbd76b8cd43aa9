package org.charnwood.app.workspace;

/** A SNOMED CT concept offered or chosen on a form: its code and preferred term. */
record ConceptChoice(String code, String display) {
}
