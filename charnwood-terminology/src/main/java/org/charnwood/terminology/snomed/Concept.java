package org.charnwood.terminology.snomed;

import java.util.List;

/**
 * A concept as $lookup shows it: status, module, effective time (YYYYMMDD), names, and its direct parents and
 * children (SCTIDs, active inferred |is a|). Inactive concepts have no parents or children; see
 * {@link SnomedRelease#associations(long)} for what replaces them.
 */
public record Concept(long id, boolean active, long moduleId, int effectiveTime, boolean sufficientlyDefined,
                      String fullySpecifiedName, String preferredTerm, List<Designation> designations,
                      List<Long> parents, List<Long> children) {
}
