/**
 * Terminology in the application: holds the SNOMED CT and dm+d releases being served (loading the bundled samples
 * into an empty database), checks the codes of every write against them (the binding stage of the repository's
 * validator chain) and answers the typeahead endpoint for pages. The FHIR terminology operations ($lookup,
 * $validate-code, $expand, $subsumes, $translate) are in {@code fhirapi} and use {@link ServedTerminology} and
 * {@link ImplicitValueSets} from here.
 */
package org.charnwood.app.terminology;
