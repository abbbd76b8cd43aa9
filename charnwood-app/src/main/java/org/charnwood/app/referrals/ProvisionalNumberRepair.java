package org.charnwood.app.referrals;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Provisional records made before the number a person typed was kept only as stated carry it as an NHS-number
 * identifier, where a search by NHS number, a conditional reference or a conditional create finds them beside the
 * real record. At start-up each is rewritten as intake now writes one: the number moved to the stated-number
 * extension. Once done it costs one search that finds nothing; a record another node rewrote first is skipped.
 */
@Component
class ProvisionalNumberRepair {

    private final FhirRepository repository;

    ProvisionalNumberRepair(FhirRepository repository) {
        this.repository = repository;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        repair();
    }

    /** Rewrites every provisional record still holding an NHS-number identifier; how many were rewritten. */
    int repair() {
        Set<String> tried = new HashSet<>();
        int repaired = 0;
        while (true) {
            List<StoredResource> found = repository.search(new SearchRequest("Patient", Map.of(
                    "_tag", List.of(ProvisionalRecords.IDENTITY_STATUS + "|" + ProvisionalRecords.UNVERIFIED),
                    "identifier", List.of(NhsNumber.SYSTEM + "|"), "_count", List.of("100")), false)).matches()
                    .stream().filter(s -> !s.deleted() && tried.add(s.id())).toList();
            if (found.isEmpty()) {
                return repaired;
            }
            for (StoredResource stored : found) {
                Patient patient = stored.parse(Patient.class);
                String typed = patient.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                        .map(Identifier::getValue).filter(v -> v != null).findFirst().orElse(null);
                patient.getIdentifier().removeIf(i -> NhsNumber.SYSTEM.equals(i.getSystem()));
                if (typed != null && ProvisionalRecords.statedNhsNumber(patient).isEmpty()) {
                    ProvisionalRecords.stateNhsNumber(patient, typed);
                }
                try {
                    repository.inTransaction(session -> session.update("Patient", stored.id(), patient,
                            stored.version()));
                    repaired++;
                } catch (FhirException e) {
                    // Changed since it was read (another node, or triage): it is looked at again next start.
                    if (e.status() != 409 && e.status() != 412) {
                        throw e;
                    }
                }
            }
        }
    }
}
