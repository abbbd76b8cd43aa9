package org.charnwood.fhir.search;

/** A matched or included resource: its key and, for resolving references to it, its type and id. */
record ResourceRow(long pk, String type, String id) {
}
