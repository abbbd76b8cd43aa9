package org.charnwood.fhir;

import java.util.List;

/**
 * Told about the resources each read, version read, history, search or {@code $everything} hands back, just
 * before it does, so that a capability that must account for every disclosure (the audit trail) can see what
 * was read however the caller reached the repository. It is called on the reading thread and must not read the
 * repository itself.
 */
@FunctionalInterface
public interface ReadObserver {

    ReadObserver NONE = resources -> {
    };

    /** Resources about to be returned (current or past versions, possibly none). */
    void returned(List<StoredResource> resources);
}
