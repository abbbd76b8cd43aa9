package org.charnwood.app.security.policy;

import org.charnwood.fhir.search.AccessScope.Reach;

import java.util.Set;

/**
 * The Tasks a member of staff sees whichever patient they are about, relationship or not: work is passed between
 * people who may not both care for the patient (a referrer asked a question by the triage team of the service
 * they referred to, an escalation sent to the team on call). So they see a Task
 * <ul>
 *   <li>addressed to them: its {@code owner} is them, one of their PractitionerRoles, a care team they are in, or a
 *       service one of their roles works in;</li>
 *   <li>that they asked for: its {@code requester} is them or one of their PractitionerRoles;</li>
 *   <li>about a referral they sent: its {@code focus} is that ServiceRequest (the triage decisions on it, which
 *       the referrer is told).</li>
 * </ul>
 * An Organization as owner is not taken as addressed to everyone in it: that would be the whole trust. A member of
 * staff whose role may not read the clinical record (a clerk on a ward team) is not sent the team's clinical work:
 * for them only a Task addressed to them in person, or one of their roles, counts.
 */
final class AddressedTasks {

    private AddressedTasks() {
    }

    static Set<Reach> of(CareRelationships.Work work, boolean readsClinicalRecord) {
        return Set.of(new Reach("Task", Set.of("owner"), readsClinicalRecord ? work.holders() : work.actors()),
                new Reach("Task", Set.of("requester"), work.actors()),
                new Reach("Task", Set.of("focus"), work.referrals()));
    }
}
