package org.charnwood.fhir.search;

import java.util.List;
import java.util.Map;

/**
 * A search as the client asked for it.
 *
 * @param resourceType the type searched, or null for a system-level search across all types
 * @param parameters   every query parameter in request order, values as sent (still URL-decoded,
 *                     comma-separated ORs not yet split)
 * @param lenient      {@code Prefer: handling=lenient}: unknown parameters are ignored with a warning
 *                     instead of refused
 */
public record SearchRequest(String resourceType, Map<String, List<String>> parameters, boolean lenient) {
}
