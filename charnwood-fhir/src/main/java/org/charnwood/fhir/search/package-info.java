/**
 * FHIR R4 search: the registry of search parameters (loaded from the official R4 definitions, open
 * to custom ones), the indexer that extracts parameter values from every resource written into the
 * typed {@code idx_*} tables, and the engine that turns a search request into SQL over those tables,
 * with chaining, includes, sorting, paging and totals. Nothing here knows about HTTP: the REST layer
 * passes parsed query parameters in and gets primary keys back.
 */
package org.charnwood.fhir.search;
