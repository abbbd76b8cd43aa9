package org.charnwood.app.fhirapi;

import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.ScopeNotGranted;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.bundle.PatchCheck;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Checks every entry of a transaction or batch against the access policy before any is processed: one refused
 * entry refuses the whole bundle with that entry's status (401 or 403), naming the entry. Reads inside bundles
 * ({@code GET}, {@code HEAD}) are served only to callers whose access is unrestricted, since bundle reads are
 * not scoped by the repository. A PATCH entry's result is not known until it is applied: it is checked again then
 * ({@link #patchCheck}), as a REST patch is.
 *
 * <p>An entry changing by id a resource the caller may not see ({@link AccessPolicy#hidesExisting}) is checked as one
 * naming an id with nothing there, and the bundle is processed with that resource treated as not there, so that the
 * answer is what an unknown id gets (access-control.md, Writes).
 */
final class BundleEntryAccess {

    private final AccessPolicy policy;

    BundleEntryAccess(AccessPolicy policy) {
        this.policy = policy;
    }

    /**
     * What the checks found for processing the bundle: the scope the caller's writes are judged in (null when the
     * bundle writes nothing) and the resources ({@code Type/id}) its entries change by id that are hidden from them.
     */
    record Checked(org.charnwood.fhir.search.AccessScope writeScope, java.util.Set<String> hidden) {
    }

    Checked check(FhirCall call, Bundle bundle) {
        Requester requester = call.requester();
        Checked checked = new Checked(null, new java.util.HashSet<>());
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            if (!entry.hasRequest() || entry.getRequest().getMethod() == null
                    || entry.getRequest().getUrl() == null) {
                continue; // malformed entries are refused by the bundle processor itself
            }
            try {
                checked = check(call, requester, entry, checked);
            } catch (FhirException e) {
                if (e.status() != 401 && e.status() != 403) {
                    throw e;
                }
                FhirException refusal = FhirException.of(e.status(), ErrorCode.BUNDLE_ENTRY_REFUSED,
                        e.status() == 401 ? IssueType.LOGIN : IssueType.FORBIDDEN,
                        "Entry " + i + " (" + entry.getRequest().getMethod().toCode() + " "
                                + entry.getRequest().getUrl() + ") is not permitted: " + e.getMessage(),
                        "Bundle.entry[" + i + "]");
                // Refused for a scope, the bundle's 403 names the scopes that would do, as a REST request's does.
                throw e instanceof ScopeNotGranted scope ? scope.reportedAs(refusal.outcome()) : refusal;
            }
        }
        return checked;
    }

    /**
     * What a PATCH entry made, checked inside its transaction as {@link ServerInteractions#patch} checks a REST
     * patch: the target (for a conditional entry, the one its URL found) must be one the caller may change, and
     * the result is then judged as {@link #patched} judges it. A refusal fails the entry, and so the whole
     * transaction, rolling the patch back.
     */
    PatchCheck patchCheck(FhirCall call) {
        return new PatchCheck() {
            @Override
            public void check(String type, String id, Resource patched) {
                call.allowed(policy.write(call.requester(), FhirAction.PATCH, type, id, null));
                // Every caller's result is judged, a system's too: its scope may be limited by a search.
                BundleEntryAccess.this.patched(call, type, id, patched);
            }

            /**
             * An entry whose placeholders or conditional references were resolved is judged again as written: a
             * {@code urn:uuid} standing for an existing patient must not carry a write past the patient checks. A
             * system's writes have no patient checks, and its scope restrictions do not depend on references.
             */
            @Override
            public void resolved(boolean create, String type, String id, Resource resolved) {
                if (call.requester().kind() == org.charnwood.app.security.Requester.Kind.SYSTEM) {
                    return;
                }
                // A hidden id is judged as an unknown one; the update itself then answers as for one (404).
                boolean known = !create && !policy.hidesExisting(call.requester(), type, id);
                call.allowed(policy.write(call.requester(), create ? FhirAction.CREATE : FhirAction.UPDATE, type,
                        known ? id : null, resolved));
            }
        };
    }

    /**
     * What a patch made, judged exactly as an update with it as the body would be: about patients within the
     * caller's reach, and with no security label hidden from them. A patch is only another way of sending that
     * body, so it may not do what the update may not (add a restricted or sealed label, move a record to
     * another patient). Called inside the patch's transaction: a refusal rolls the patch back.
     */
    void patched(FhirCall call, String type, String id, Resource patched) {
        call.allowed(policy.write(call.requester(), FhirAction.UPDATE, type, id, patched));
    }

    /** What an entry's request URL names: its type, and the id or the criteria after '?' (each null if absent). */
    record Target(String type, String id, String query) {

        static Target of(String url) {
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            String query = q < 0 ? null : url.substring(q + 1);
            String[] parts = path.startsWith("/") ? path.substring(1).split("/") : path.split("/");
            String type = parts.length > 0 && !parts[0].isEmpty() ? parts[0] : null;
            String id = parts.length > 1 ? parts[1] : null;
            return new Target(type, id, query);
        }
    }

    private Checked check(FhirCall call, Requester requester, Bundle.BundleEntryComponent entry, Checked so) {
        Target target = Target.of(entry.getRequest().getUrl());
        if ("AuditEvent".equals(target.type())) {
            // Not the clinical policy's: the audit trail checks its reads itself, and refuses every write
            // (AuditEventEntries), as at its REST address.
            return so;
        }
        String type = target.type();
        String query = target.query();
        String id = target.id();
        Bundle.HTTPVerb method = entry.getRequest().getMethod();
        if (id != null && (method == Bundle.HTTPVerb.PUT || method == Bundle.HTTPVerb.PATCH
                || method == Bundle.HTTPVerb.DELETE) && policy.hidesExisting(requester, type, id)) {
            // Checked as a change to an id with nothing there; the processor treats it as one.
            so.hidden().add(type + "/" + id);
            id = null;
        }
        AccessDecision write = null;
        switch (method) {
            case GET, HEAD -> {
                AccessDecision d = call.allowed(policy.read(requester, FhirAction.SEARCH, type));
                if (!d.scope().unrestricted()) {
                    throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN,
                            "Reads inside a bundle are not available to you; send them as separate requests");
                }
            }
            case POST -> {
                write = call.allowed(policy.write(requester, FhirAction.CREATE, type, null, entry.getResource()));
                if (entry.getRequest().hasIfNoneExist()) {
                    policy.conditional(requester, FhirAction.CREATE, type, entry.getRequest().getIfNoneExist());
                }
            }
            case PUT -> {
                write = call.allowed(policy.write(requester, FhirAction.UPDATE, type, id, entry.getResource()));
                if (target.id() == null) {
                    policy.conditional(requester, FhirAction.UPDATE, type, query);
                }
            }
            case PATCH -> {
                write = call.allowed(policy.write(requester, FhirAction.PATCH, type, id, null));
                if (target.id() == null) {
                    policy.conditional(requester, FhirAction.PATCH, type, query);
                }
            }
            case DELETE -> {
                write = call.allowed(policy.write(requester, FhirAction.DELETE, type, id, null));
                if (target.id() == null) {
                    policy.conditional(requester, FhirAction.DELETE, type, query);
                }
            }
            default -> {
            }
        }
        // Every write is judged in the caller's one view of the record (what they may read), whatever its type.
        return write == null || so.writeScope() != null ? so : new Checked(write.scope(), so.hidden());
    }
}
