/**
 * The FHIR repository inside the application: wires the {@code charnwood-fhir} library to the
 * database and relays its transactional outbox as {@link org.charnwood.fhir.ResourceChanged}
 * events for other modules. Every read and write of clinical data goes through the one
 * {@link org.charnwood.fhir.FhirRepository} bean built here.
 */
package org.charnwood.app.repository;
