/**
 * Validation on every write to the FHIR repository: base FHIR R4 rules compiled from the R4
 * StructureDefinitions into per-type rule tables and checked by walking the HAPI model (fast enough
 * for every resource), NHS number check digits wherever an NHS number identifier appears, and
 * profile validation (UK Core) for resources that claim a profile or whose type has one enforced:
 * the profiles' snapshots compiled into rules the same way and checked in one walk, with HAPI's
 * instance validator as a deep mode and for any profile whose rules cannot be compiled.
 * {@link org.charnwood.fhir.validation.RepositoryValidator} is the validator the application
 * constructs. This package only judges resources: it never changes, stores or fetches them, and it
 * never calls a terminology server.
 */
package org.charnwood.fhir.validation;
