package org.charnwood.terminology.dmd;

import java.time.Duration;
import java.util.Map;

/**
 * What an import did: the release now served, whether it was already being served (a repeated load of the same
 * files changes nothing), products per level and how long it took.
 */
public record DmdImportResult(int releaseId, String releaseName, boolean alreadyServing,
                              Map<ProductLevel, Long> products, Map<String, Long> rows, Duration took) {
}
