package org.charnwood.app.security;

import org.hl7.fhir.r4.model.Resource;

/**
 * The access policy, deny by default: decides what a {@link Requester} may see and change through the FHIR API.
 * Refusals are {@link org.charnwood.fhir.FhirException}s: 401 when nobody is signed in, 403 when the policy
 * does not permit the interaction. Resources the requester may not see are not refused but left out by the
 * repository (a read of one is a 404), so that their existence is not revealed.
 */
public interface AccessPolicy {

    /**
     * What the requester may see when reading resources of {@code type} (null: every type, as for a
     * system-level search or history).
     */
    AccessDecision read(Requester requester, FhirAction action, String type);

    /**
     * The scope of {@link #read}, for code that reads the record for the request being handled (the web pages):
     * the decision is recorded on that request as well, so that its audit record knows the emergency grants the
     * reads relied on. Refuses as {@link #read} does.
     */
    default org.charnwood.fhir.search.AccessScope readForRequest(Requester requester, FhirAction action,
                                                                 String type) {
        return AccessDecision.recordOnCurrentRequest(read(requester, action, type)).scope();
    }

    /**
     * As {@link #readForRequest}, for a page that shows what it may and leaves the rest out: null, rather than a
     * refusal, when the requester may not read the type at all (401 or 403). Other failures still propagate.
     */
    default org.charnwood.fhir.search.AccessScope readForRequestOrNone(Requester requester, FhirAction action,
                                                                       String type) {
        try {
            return readForRequest(requester, action, type);
        } catch (org.charnwood.fhir.FhirException e) {
            if (e.status() == 401 || e.status() == 403) {
                return null;
            }
            throw e;
        }
    }

    /** What the requester may see of one patient's record through {@code $everything}. */
    AccessDecision everything(Requester requester, String patientId);

    /**
     * Checks one change to {@code type/id} (id null for a create): the resource as it stands must be visible to
     * the requester, and {@code content}, what it would hold afterwards (null for a delete, or a patch not yet
     * applied), must be something they may write.
     */
    AccessDecision write(Requester requester, FhirAction action, String type, String id, Resource content);

    /**
     * What a conditional write's criteria, or a conditional reference in a bundle, may match for the requester:
     * what their own search of {@code type} would find. Anything else counts as no match, exactly as if it did not
     * exist, so that the answer cannot reveal a record hidden from them. Refuses as {@link #read} does a search.
     */
    org.charnwood.fhir.search.AccessScope matchable(Requester requester, String type);

    /**
     * Checks a conditional write's criteria and answers what they may match ({@link #matchable}): under a scope
     * limited by a search, each resource they match must be one the requester may change.
     */
    org.charnwood.fhir.search.AccessScope conditional(Requester requester, FhirAction action, String type,
                                                      String query);

    /**
     * Whether a current resource exists at {@code type/id} that the requester may not see: the FHIR API answers an
     * update or patch of it as of an id it does not know, so that writes cannot find out what reads hide.
     */
    default boolean hidesExisting(Requester requester, String type, String id) {
        return false;
    }

    /**
     * Checks that the requester may triage referrals to {@code HealthcareService/<serviceId>}: a member of staff
     * whose role permits triage and who works in that service (one of their PractitionerRoles names it), and,
     * through an app, whose token's SMART scopes let it search ServiceRequests. Answers what they may see, as
     * {@link #read} would for a search; refuses with 403 otherwise.
     */
    AccessDecision triage(Requester requester, String serviceId);

    /** Checks a bulk import ({@code $import}). */
    AccessDecision bulkImport(Requester requester);

    /**
     * Refuses (a {@link org.charnwood.fhir.FhirException}) a resource of a bulk import whose content the policy
     * would refuse to have written, such as a security label it does not know: the import skips {@link #write}
     * and its per-resource scope checks, having been allowed whole, but not the checks of what a resource carries.
     */
    void requireImportable(org.hl7.fhir.r4.model.Resource content);

    /**
     * The patients whose record-access history ("who has viewed my record") the requester may see: a patient
     * whose identity is verified for record access, their own; a carer, the patients whose proxy Consent in
     * force lists {@code AuditEvent} among its classes; nobody else.
     */
    java.util.Set<String> accessHistoryPatients(Requester requester);

    /**
     * Whether the requester is a carer whom no patient's proxy Consent names now: the access they had was
     * withdrawn or ran out, and their pages say so rather than leaving them to guess.
     */
    boolean proxyAccessEnded(Requester requester);
}
