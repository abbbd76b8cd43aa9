package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import java.sql.SQLException;
import java.util.Optional;

/**
 * How the record pages write: the access policy first (a refusal is a 403 page and nothing is written), then
 * one repository transaction. An edit carries the version the person read, and is refused when the resource has
 * moved on since ({@link ChangedMeanwhile}), so one person's change never silently overwrites another's.
 */
@Component
class RecordWrites {

    /** The resource was changed by someone else after the form was opened. */
    static final class ChangedMeanwhile extends RuntimeException {
        ChangedMeanwhile() {
            super("changed by someone else", null, false, false);
        }
    }

    /** The repository refused the content (validation, terminology binding): the message says why. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final AccessPolicy policy;
    private final FhirRepository repository;
    private final RequesterSource requesters;
    private final WriteRefusals refusals;

    RecordWrites(AccessPolicy policy, FhirRepository repository, RequesterSource requesters,
                 WriteRefusals refusals) {
        this.policy = policy;
        this.repository = repository;
        this.requesters = requesters;
        this.refusals = refusals;
    }

    /**
     * The person signed in, once the policy allows them this write; otherwise a 403 page saying why and what to
     * do. A form's page asks it too, of a sample of what the form writes, so a form that could not be saved is
     * not offered.
     */
    Requester allowed(HttpServletRequest request, FhirAction action, Resource content) {
        Requester requester = requesters.current(request);
        try {
            policy.write(requester, action, content.fhirType(),
                    content.getIdElement().getIdPart(), content);
        } catch (FhirException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw refusals.refuse(request, requester, e);
            }
            throw e;
        }
        return requester;
    }

    /** Work inside the one transaction of a save. */
    @FunctionalInterface
    interface Work<T> {
        T run(WriteSession session) throws SQLException;
    }

    /** Runs the work in one transaction, turning a version clash and a refused resource into page outcomes. */
    <T> T save(Work<T> work) {
        try {
            return repository.inTransaction(work::run);
        } catch (FhirException e) {
            if (e.status() == 412 || e.status() == 409
                    && e.outcome().getIssueFirstRep().getCode() == OperationOutcome.IssueType.CONFLICT) {
                throw new ChangedMeanwhile();
            }
            if (e.status() == 400 || e.status() == 422) {
                throw new Refused(e.outcome().getIssue().stream()
                        .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                        .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                        .findFirst().orElse("The record could not be saved"));
            }
            throw e;
        }
    }

    /**
     * The current version of a resource of the patient's, read in the transaction and checked against the
     * version the form was opened at; a resource of another patient's reads as absent.
     */
    static <T extends Resource> T current(WriteSession session, String type, String id, String version,
                                          String patient, Class<T> model,
                                          java.util.function.Function<T, String> subject) throws SQLException {
        Optional<StoredResource> stored = session.current(type, id);
        if (stored.isEmpty() || stored.get().deleted()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such " + type);
        }
        T resource = stored.get().parse(model);
        if (!patient.equals(subject.apply(resource))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such " + type);
        }
        if (version == null || !Integer.toString(stored.get().version()).equals(version.trim())) {
            throw new ChangedMeanwhile();
        }
        return resource;
    }

    /** The version number of a resource as read, for the form to carry. */
    static String version(StoredResource stored) {
        return Integer.toString(stored.version());
    }

}
