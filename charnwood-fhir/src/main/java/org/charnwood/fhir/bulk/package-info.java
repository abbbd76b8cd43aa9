/**
 * Bulk loading of FHIR NDJSON through the normal write path, in large transactional chunks.
 * Never bypasses validation, indexing or the outbox.
 */
package org.charnwood.fhir.bulk;
