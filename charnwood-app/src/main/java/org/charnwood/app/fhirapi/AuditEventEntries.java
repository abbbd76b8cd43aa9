package org.charnwood.app.fhirapi;

import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.HashMap;
import java.util.Map;

/**
 * AuditEvent entries of a transaction or batch are refused as the REST interactions refuse them: a create,
 * update, patch or delete gets 405 with the same OperationOutcome (a transaction fails as a whole, nothing
 * written; a batch answers that entry so and goes on with the others), since the clinical store, which would
 * otherwise take them, holds no AuditEvents and would report a delete of one as done. Reads are answered by the
 * audit trail ({@link AuditTrailBundleReader}).
 */
final class AuditEventEntries {

    private AuditEventEntries() {
    }

    /** Whether an entry's request URL addresses AuditEvent. */
    static boolean names(String url) {
        return url != null && "AuditEvent".equals(BundleEntryAccess.Target.of(url).type());
    }

    static boolean writes(BundleEntryComponent entry) {
        HTTPVerb method = entry.getRequest().getMethod();
        return names(entry.getRequest().getUrl()) && method != null && method != HTTPVerb.GET
                && method != HTTPVerb.HEAD && method != HTTPVerb.NULL;
    }

    /**
     * Processes the bundle with {@code processor}, refusing its AuditEvent writes first. {@code refusedEntries} are
     * the batch entries whose resources could not be read, by entry index; the processor is given them by the
     * index each has in the bundle it is handed.
     */
    static Bundle process(Resource body, Map<Integer, FhirException> refusedEntries,
                          AuditEventInteractions auditEvents,
                          BiFunction<Resource, Map<Integer, FhirException>, Bundle> processor) {
        if (!(body instanceof Bundle bundle) || bundle.getEntry().stream().noneMatch(AuditEventEntries::writes)) {
            return processor.apply(body, refusedEntries);
        }
        if (bundle.getType() != Bundle.BundleType.BATCH) {
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                if (writes(bundle.getEntry().get(i))) {
                    throw AuditEventInteractions.readOnlyEntry(i);
                }
            }
        }
        // A batch: the other entries are processed as if these were not there, then each refused entry's response
        // goes back in its place (a batch's entries are independent, so leaving one out changes no other).
        Bundle forwarded = new Bundle().setType(Bundle.BundleType.BATCH);
        List<Integer> refused = new ArrayList<>();
        Map<Integer, FhirException> unreadable = new HashMap<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (writes(bundle.getEntry().get(i))) {
                refused.add(i);
            } else {
                if (refusedEntries.containsKey(i)) {
                    unreadable.put(forwarded.getEntry().size(), refusedEntries.get(i));
                }
                forwarded.addEntry(bundle.getEntry().get(i));
            }
        }
        Bundle processed = forwarded.getEntry().isEmpty()
                ? new Bundle().setType(Bundle.BundleType.BATCHRESPONSE) : processor.apply(forwarded, unreadable);
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        int next = 0;
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (refused.contains(i)) {
                FhirException refusal = AuditEventInteractions.readOnlyEntry(i);
                response.addEntry().getResponse().setStatus("405 Method Not Allowed").setOutcome(refusal.outcome());
            } else {
                response.addEntry(processed.getEntry().get(next++));
            }
        }
        return response;
    }
}
