package org.charnwood.app.observations;

import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchOutcome;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Flag;

import java.sql.SQLException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SpO2 scale in use for a patient: scale 2 only while an active {@code Flag} records a clinician's decision
 * (code {@code scale-2} in Charnwood's NEWS2 SpO2 scale code system, with the deciding clinician as author and
 * the decision time as period start); scale 1 otherwise. It is a property of the patient's current care, never
 * of a single reading, and never inferred from a diagnosis.
 */
final class SpO2ScaleDecision {

    private SpO2ScaleDecision() {
    }

    static SpO2Scale current(WriteSession session, String patient) throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("subject", List.of(patient));
        parameters.put("_count", List.of("200"));
        SearchOutcome outcome = session.search(new SearchRequest("Flag", parameters, false));
        Date now = Date.from(session.now());
        boolean scale2 = session.load(outcome.matches()).stream()
                .map(s -> s.parse(Flag.class))
                .anyMatch(flag -> isScale2Decision(flag, now));
        return scale2 ? SpO2Scale.SCALE_2 : SpO2Scale.SCALE_1;
    }

    static boolean isScale2Decision(Flag flag, Date at) {
        boolean coded = flag.getCode().getCoding().stream().anyMatch(c ->
                News2Codes.SPO2_SCALE_SYSTEM.equals(c.getSystem()) && News2Codes.SCALE_2.equals(c.getCode()));
        boolean inForce = flag.getStatus() == Flag.FlagStatus.ACTIVE
                && (!flag.getPeriod().hasStart() || !flag.getPeriod().getStart().after(at))
                && (!flag.getPeriod().hasEnd() || flag.getPeriod().getEnd().after(at));
        return coded && inForce;
    }
}
