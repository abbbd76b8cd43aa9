package org.charnwood.app.scheduling;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what with a team's day. Any member of the team (the signed-in practitioner, or one of their
 * PractitionerRoles, is a participant of the CareTeam) may see the team's day and each nurse's route; members who
 * lead the team's caseload may plan, replan and publish it: district nurses and sisters (band 6 and above by their
 * job title in the team) and those acting as nurse managers. Everyone else is refused, whatever their role
 * elsewhere: a team's day names its patients.
 */
@Component
class TeamAccess {

    private final FhirRepository repository;

    TeamAccess(FhirRepository repository) {
        this.repository = repository;
    }

    /**
     * What the requester is in the team.
     *
     * @param roleIds the requester's PractitionerRoles in this team (whose routes are theirs)
     */
    record Membership(boolean member, boolean mayPlan, Set<String> roleIds) {
        static final Membership NONE = new Membership(false, false, Set.of());
    }

    Membership of(Requester requester, CareTeam team) {
        if (requester.kind() != Requester.Kind.STAFF || requester.fhirUser() == null
                || !requester.fhirUser().startsWith("Practitioner/")) {
            return Membership.NONE;
        }
        Map<String, PractitionerRole> mine = new LinkedHashMap<>();
        for (PractitionerRole role : roles(requester.fhirUser())) {
            mine.put("PractitionerRole/" + role.getIdElement().getIdPart(), role);
        }
        boolean member = false;
        boolean leads = requester.hasRole(AccessRole.NURSE_MANAGER);
        List<String> inTeam = new ArrayList<>();
        for (CareTeam.CareTeamParticipantComponent participant : team.getParticipant()) {
            String reference = participant.getMember().getReference();
            if (requester.fhirUser().equals(reference)) {
                member = true;
            }
            PractitionerRole role = mine.get(reference);
            if (role != null) {
                member = true;
                inTeam.add(role.getIdElement().getIdPart());
                String title = role.getCode().isEmpty() ? "" : role.getCodeFirstRep().getText();
                leads |= TeamDayReader.StaffGrade.of(title).band() >= 6;
            }
        }
        return new Membership(member, member && leads, Set.copyOf(inTeam));
    }

    /** The signed-in practitioner's roles, whichever team they are in (for their own run sheet). */
    List<PractitionerRole> roles(String practitioner) {
        SearchRequest request = new SearchRequest("PractitionerRole", Map.of("practitioner", List.of(practitioner),
                "_count", List.of("100")), false);
        List<PractitionerRole> roles = new ArrayList<>();
        for (StoredResource stored : repository.search(request).matches()) {
            if (!stored.deleted()) {
                PractitionerRole role = stored.parse(PractitionerRole.class);
                role.setId(stored.id());
                roles.add(role);
            }
        }
        return roles;
    }
}
