package org.charnwood.app.fhirapi;

import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Puts the OperationDefinition of every {@link FhirOperation} into the repository once the application is ready,
 * so the canonical url the CapabilityStatement names can be read ({@code OperationDefinition/[id]}) and searched
 * ({@code OperationDefinition?url=}). A definition is written only when it is missing or its {@code version}
 * differs from the stored one, so restarts add no versions.
 */
@Component
class OperationDefinitions {

    private static final Logger log = LoggerFactory.getLogger(OperationDefinitions.class);

    private final FhirRepository repository;
    private final List<PublishedOperation> operations;

    OperationDefinitions(FhirRepository repository, ObjectProvider<PublishedOperation> operations) {
        this.repository = repository;
        this.operations = operations.orderedStream().toList();
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        int written = publish();
        if (written > 0) {
            log.info("Published {} operation definitions", written);
        }
    }

    /** Writes each definition that is missing or changed; returns how many were written. */
    int publish() {
        int written = 0;
        for (PublishedOperation operation : operations) {
            OperationDefinition definition = operation.definition();
            String id = definition.getIdElement().getIdPart();
            boolean wrote = repository.inTransaction(session -> {
                var stored = session.current("OperationDefinition", id);
                if (stored.isPresent() && !stored.get().deleted()
                        && definition.getVersion() != null && definition.getVersion().equals(
                        stored.get().parse(OperationDefinition.class).getVersion())) {
                    return false;
                }
                session.update("OperationDefinition", id, definition, null);
                return true;
            });
            if (wrote) {
                written++;
            }
        }
        return written;
    }
}
