package org.charnwood.app.security.policy;

import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Set;

/**
 * The benchmark baseline's access policy ({@link org.charnwood.app.security.BenchMode}): every authenticated
 * request may do everything, with no scope, relationship or label checks, so the benchmark can measure what
 * the real policy costs. Authentication still applies. Never built outside the bench profile.
 */
final class UnrestrictedBenchPolicy implements AccessPolicy {

    @Override
    public AccessDecision read(Requester requester, FhirAction action, String type) {
        return new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
    }

    @Override
    public AccessDecision everything(Requester requester, String patientId) {
        return new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
    }

    @Override
    public AccessDecision write(Requester requester, FhirAction action, String type, String id, Resource content) {
        return new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
    }

    @Override
    public AccessScope matchable(Requester requester, String type) {
        return AccessScope.UNRESTRICTED;
    }

    @Override
    public AccessScope conditional(Requester requester, FhirAction action, String type, String query) {
        return AccessScope.UNRESTRICTED;
    }

    @Override
    public AccessDecision triage(Requester requester, String serviceId) {
        return new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
    }

    @Override
    public AccessDecision bulkImport(Requester requester) {
        return new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
    }

    @Override
    public void requireImportable(Resource content) {
        // The benchmark's writes are not checked for labels either.
    }

    @Override
    public Set<String> accessHistoryPatients(Requester requester) {
        return Set.of();
    }

    @Override
    public boolean proxyAccessEnded(Requester requester) {
        return false;
    }
}
