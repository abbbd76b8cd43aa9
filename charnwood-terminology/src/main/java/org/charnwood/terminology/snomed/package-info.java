/**
 * SNOMED CT releases: finding and checking RF2 snapshot files, loading them into the {@code snomed} schema
 * (one transaction per release, switched atomically), and serving the current release from memory as a
 * {@link org.charnwood.terminology.ConceptGraph} with lookups, subsumption, historical associations and
 * typeahead search. Map refsets are read from the database on demand.
 */
package org.charnwood.terminology.snomed;
