/**
 * Compartments: which resources belong to a patient's record, and {@code $everything} over them.
 * Reads only; derives membership from the R4 compartment definitions.
 */
package org.charnwood.fhir.compartment;
