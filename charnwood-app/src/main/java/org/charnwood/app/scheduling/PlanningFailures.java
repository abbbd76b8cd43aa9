package org.charnwood.app.scheduling;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.RedactedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the team's day says when its day cannot be planned: what went wrong in words a district nurse uses, and
 * what to do about it. The failure's own message is for the log, never the page (it names resources by id, or
 * says nothing a nurse can act on), and the log keeps its type and code without the message, which can quote a
 * patient or the place of their home.
 */
final class PlanningFailures {

    private static final Logger log = LoggerFactory.getLogger(PlanningFailures.class);

    /** Where the failure to place a visit's patient or a member of staff on the map lies, as its issue says. */
    static final String HOME = "Patient.address";
    static final String BASE = "PractitionerRole.location";

    static final String PATIENT_NOT_PLACED = "A patient due a visit on this day has a home address that cannot be"
            + " found on the map, so the visits cannot be put in order. Check that the home address and postcode of"
            + " each patient due a visit is complete and correct in their record, then plan the day again.";
    static final String BASE_NOT_PLACED = "A member of the team has no base that can be found on the map, so their"
            + " visits have nowhere to start from. Ask your team leader to check that each member of the team has a"
            + " base with a full address, then plan the day again.";
    static final String NOT_PLANNED = "Charnwood could not plan the day because of a fault. Try again in a few"
            + " minutes. If it still cannot be planned, contact the IT service desk and tell them the team and the"
            + " day; until then, plan the visits as you do when Charnwood is unavailable.";

    private PlanningFailures() {
    }

    /** What the page says about the failure, once the failure is logged for whoever looks into it. */
    static String shown(String careTeamId, Object day, RuntimeException failure) {
        if (failure instanceof FhirException e && e.is(ErrorCode.SCHEDULING_NO_LOCATION)) {
            boolean patient = e.outcome() != null && e.outcome().getIssueFirstRep().getExpression().stream()
                    .anyMatch(x -> HOME.equals(x.getValue()));
            log.warn("The day of CareTeam/{} on {} cannot be planned: {} is not placed on the map ({})", careTeamId,
                    day, patient ? "a patient's home" : "a staff base", ErrorCode.SCHEDULING_NO_LOCATION);
            return patient ? PATIENT_NOT_PLACED : BASE_NOT_PLACED;
        }
        log.error("Planning the day of CareTeam/{} on {} failed", careTeamId, day, RedactedFailure.of(failure));
        return NOT_PLANNED;
    }
}
