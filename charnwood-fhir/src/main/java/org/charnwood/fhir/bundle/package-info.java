/**
 * Transaction and batch bundles (FHIR R4 http.html#transaction): parsing each entry's request,
 * running a transaction's entries in the specification's order inside one database transaction
 * (placeholder and conditional references resolved, identities checked for overlap, any failure
 * rolling back everything), running a batch's entries one transaction each, and building the
 * transaction-response or batch-response in request order. Reads inside a bundle go through a
 * pluggable {@link org.charnwood.fhir.bundle.BundleReader}.
 */
package org.charnwood.fhir.bundle;
