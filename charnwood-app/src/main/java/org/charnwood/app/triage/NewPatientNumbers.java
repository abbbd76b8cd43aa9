package org.charnwood.app.triage;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NHS number of a person confirmed at triage as new to the trust. Until then their provisional record kept the
 * number they typed only as what they stated; now it becomes the record's national identifier, with UK Core
 * verification status {@code 02} (present but not traced), since nobody has checked it against PDS: a search by
 * NHS number finds the record, but NHS login does not link anyone to it (that takes {@code 01}).
 */
final class NewPatientNumbers {

    private NewPatientNumbers() {
    }

    /**
     * Gives the provisional record the number its person stated as its national identifier, in the caller's
     * transaction; returns what the referral's note should add (empty when nothing). A number another confirmed
     * record already holds is left as stated: two records with one number would make a search for it find both.
     */
    static String adopt(WriteSession session, Patient provisional, String provisionalId) throws SQLException {
        Optional<String> stated = ProvisionalRecords.statedNhsNumber(provisional);
        if (stated.isEmpty() || provisional.getIdentifier().stream()
                .anyMatch(i -> NhsNumber.SYSTEM.equals(i.getSystem()))) {
            return "";
        }
        String query = "identifier=" + NhsNumber.SYSTEM + "|" + stated.get();
        // Takes turns with a conditional create on the same number, so the two cannot both give it out.
        session.lockConditional("Patient", query);
        if (heldElsewhere(session, stated.get(), provisionalId)) {
            return " The NHS number they gave (" + PatientDisplay.nhsNumber(stated.get()) + ") is another record's, "
                    + "so it was not recorded as theirs: trace their NHS number.";
        }
        ProvisionalRecords.forgetStatedNhsNumber(provisional);
        provisional.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(stated.get())
                .addExtension(NhsNumber.VERIFICATION_STATUS, new CodeableConcept(new Coding(
                        NhsNumber.VERIFICATION_STATUS_SYSTEM, NhsNumber.PRESENT_NOT_TRACED,
                        "Number present but not traced")));
        return "";
    }

    private static boolean heldElsewhere(WriteSession session, String nhsNumber, String provisionalId)
            throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("identifier", List.of(NhsNumber.SYSTEM + "|" + nhsNumber));
        parameters.put("_count", List.of("20"));
        for (StoredResource s : session.load(session.search(new SearchRequest("Patient", parameters, false))
                .matches())) {
            if (!s.deleted() && !s.id().equals(provisionalId)
                    && ProvisionalRecords.confirmedAndActive(s.parse(Patient.class))) {
                return true;
            }
        }
        return false;
    }
}
