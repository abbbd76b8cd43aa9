/**
 * SNOMED CT and dm+d for Charnwood: importing releases, holding the serving release in memory
 * ({@link org.charnwood.terminology.ConceptGraph}), typeahead search, subsumption and the Expression Constraint
 * Language. A library with no web or Spring dependency; the application serves it over FHIR.
 */
package org.charnwood.terminology;
