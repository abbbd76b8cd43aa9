package org.charnwood.app.security;

import java.util.Set;

/**
 * A request is about to show data about these patients that it read other than through the repository (which
 * reports its own reads to the audit trail): for example the information governance review list of emergency
 * accesses. Published on the request's thread before the response is written, so that the request's audit record
 * names them.
 *
 * @param patientIds Patient resource ids
 */
public record PatientDataShown(Set<String> patientIds) {
}
