/**
 * FHIR Bulk Data export ({@code $export}) for backend services: jobs and their NDJSON files in PostgreSQL, run in
 * the background under the access scope the client was granted. The HTTP side (kick-off, status, files) is
 * {@code fhirapi.BulkExportOperation}.
 */
package org.charnwood.app.bulkexport;
