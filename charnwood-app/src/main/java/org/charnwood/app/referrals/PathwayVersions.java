package org.charnwood.app.referrals;

import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ResourceChanged;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Keeps one active version per pathway when versions are published through the FHIR API: once a new active
 * version is stored, the older active ones are retired. (The administration page retires them in the same
 * transaction; this catches every other way in.) A version that is not the newest does not retire newer ones.
 */
@Component
class PathwayVersions {

    private static final Logger log = LoggerFactory.getLogger(PathwayVersions.class);

    private final FhirRepository repository;

    PathwayVersions(FhirRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void on(ResourceChanged change) {
        if (!"PlanDefinition".equals(change.resourceType()) || change.method() == ChangeMethod.DELETE) {
            return;
        }
        try {
            retireOlder(change.resourceId());
        } catch (RuntimeException e) {
            // Handed on to the outbox relay, which counts it, tries the event again and in the end sets it aside
            // for replay, rather than leaving two active versions with nothing to show for it.
            log.warn("Retiring older pathway versions failed: {}", e.getClass().getName());
            throw e;
        }
    }

    void retireOlder(String id) {
        repository.inTransaction(session -> {
            var stored = session.current("PlanDefinition", id);
            if (stored.isEmpty() || stored.get().deleted()) {
                return null;
            }
            PlanDefinition changed = stored.get().parse(PlanDefinition.class);
            if (!PathwayDefinitions.isPathway(changed) || changed.getStatus() != PublicationStatus.ACTIVE
                    || !changed.getVersion().matches("[0-9]+")) {
                return null;
            }
            String slug = PathwayDefinitions.slugOf(changed.getUrl());
            Pathways.lock(session, "pathway:" + slug);
            List<PlanDefinition> versions = Pathways.versions(session, slug);
            int newest = versions.stream().filter(v -> v.getStatus() == PublicationStatus.ACTIVE)
                    .mapToInt(v -> Integer.parseInt(v.getVersion())).max().orElse(0);
            if (Integer.parseInt(changed.getVersion()) == newest) {
                Pathways.retireOthers(session, versions, id);
            }
            return null;
        });
    }
}
