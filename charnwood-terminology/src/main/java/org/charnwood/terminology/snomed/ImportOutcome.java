package org.charnwood.terminology.snomed;

import java.time.Duration;
import java.util.Map;

/**
 * What a release load did: the release now served, whether it was already loaded (nothing was done), the rows
 * stored per table and how long it took.
 */
public record ImportOutcome(int releaseId, String label, boolean unchanged, Map<String, Long> rows, Duration took) {
}
