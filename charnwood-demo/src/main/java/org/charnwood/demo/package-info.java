/**
 * Synthetic demo data for an NHS community and mental-health trust in Leicester, Leicestershire and Rutland:
 * the trust's own directory ({@link org.charnwood.demo.TrustShapeGenerator}), a seeded population of patients
 * with years of history ({@link org.charnwood.demo.PopulationGenerator}), an adapter that makes Synthea's
 * US-shaped bundles English ({@link org.charnwood.demo.SyntheaAdapter}), and writers for FHIR transaction
 * Bundles and Bulk Data NDJSON ({@link org.charnwood.demo.BundleWriter}, {@link org.charnwood.demo.NdjsonWriter}).
 * Everything here is invented: NHS numbers come only from the 999 test range, phone numbers from Ofcom's
 * drama ranges, and ODS-style codes are well-formed but fictional. The package never talks to a database or a
 * server; loading what it produces is the caller's job.
 */
package org.charnwood.demo;
