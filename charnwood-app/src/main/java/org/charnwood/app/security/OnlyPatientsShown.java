package org.charnwood.app.security;

import java.util.Set;

/**
 * A request read more than it shows and is about to show data about these patients only: its audit record names
 * them and not every patient whose entries it read to work out the rest. For example a waiting list reads all of
 * the service's open referrals (and counts the month's for its compliance figures) to list the few still waiting.
 * Published on the request's thread after its last read and before the response is written.
 *
 * @param patientIds Patient resource ids
 */
public record OnlyPatientsShown(Set<String> patientIds) {
}
