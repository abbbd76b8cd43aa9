package org.charnwood.app.rostering;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.scheduling.roster.Leave;
import org.charnwood.scheduling.roster.RosterProblem;
import org.charnwood.scheduling.roster.RosterStaff;
import org.charnwood.scheduling.roster.ShiftDemand;
import org.charnwood.scheduling.roster.ShiftKind;
import org.charnwood.scheduling.roster.ShiftRequest;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a team's roster period from the store: the CareTeam's PractitionerRoles are the staff (by Practitioner id,
 * since bookings and requests belong to the person), with grade and contract from the staff register or the job
 * title; the demand per shift from the settings; leave and preferences from approved requests. Staff directory
 * data only, no patient data, so these reads are not scoped by the clinical access policy (the pages are for
 * nurse managers only).
 */
@Component
class TeamRosterReader {

    private final FhirRepository repository;
    private final StaffRecords register;
    private final StaffRequests requests;
    private final RosteringSettings settings;

    TeamRosterReader(FhirRepository repository, StaffRecords register, StaffRequests requests,
                     RosteringSettings settings) {
        this.repository = repository;
        this.register = register;
        this.requests = requests;
        this.settings = settings;
    }

    /** A team that can be rostered, for the index page. */
    record Team(String careTeamId, String name, int members) {
    }

    List<Team> teams() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("status", List.of("active"));
        parameters.put("_count", List.of("200"));
        List<Team> teams = new ArrayList<>();
        for (StoredResource stored : repository.search(new SearchRequest("CareTeam", parameters, false)).matches()) {
            CareTeam team = stored.parse(CareTeam.class);
            long members = team.getParticipant().stream().filter(p -> p.getMember().getReference() != null
                    && p.getMember().getReference().startsWith("PractitionerRole/")).count();
            if (members > 0) {
                teams.add(new Team(stored.id(), team.hasName() ? team.getName() : stored.id(), (int) members));
            }
        }
        teams.sort(java.util.Comparator.comparing(Team::name));
        return teams;
    }

    String teamName(String careTeamId) {
        CareTeam team = careTeam(careTeamId);
        return team.hasName() ? team.getName() : careTeamId;
    }

    RosterProblem read(String careTeamId, LocalDate firstDay, int days) {
        CareTeam team = careTeam(careTeamId);
        List<RosterStaff> staff = new ArrayList<>();
        for (CareTeam.CareTeamParticipantComponent participant : team.getParticipant()) {
            String reference = participant.getMember().getReference();
            if (reference == null || !reference.startsWith("PractitionerRole/")) {
                continue;
            }
            PractitionerRole role = repository.read("PractitionerRole",
                    reference.substring("PractitionerRole/".length())).parse(PractitionerRole.class);
            if (!role.hasPractitioner() || staff.stream().anyMatch(s -> s.id().equals(
                    role.getPractitioner().getReferenceElement().getIdPart()))) {
                continue;
            }
            String practitionerId = role.getPractitioner().getReferenceElement().getIdPart();
            String title = role.getCode().isEmpty() ? null : role.getCodeFirstRep().getText();
            String name = role.getPractitioner().hasDisplay() ? role.getPractitioner().getDisplay() : practitionerId;
            var recorded = register.find(practitionerId);
            StaffGrade grade = recorded.map(StaffRecords.Recorded::grade).orElse(StaffGrade.fromJobTitle(title));
            double hours = recorded.map(StaffRecords.Recorded::contractedHours).orElse(37.5);
            staff.add(new RosterStaff(practitionerId, recorded.map(StaffRecords.Recorded::name).orElse(name),
                    grade.band(), grade.registered(), hours));
        }
        if (staff.isEmpty()) {
            throw BankShifts.refuse(422, ErrorCode.ROSTER_TEAM_UNKNOWN, "This team has no staff to roster.");
        }
        LocalDate lastDay = firstDay.plusDays(days - 1L);
        List<Leave> leave = new ArrayList<>();
        List<ShiftRequest> wishes = new ArrayList<>();
        for (StaffRequest request : requests.approvedFor(staff.stream().map(RosterStaff::id).toList(), firstDay,
                lastDay)) {
            if ("LEAVE".equals(request.kind())) {
                leave.add(new Leave(request.practitionerId(), request.firstDay(), request.lastDay()));
                continue;
            }
            for (LocalDate d = request.firstDay(); !d.isAfter(request.lastDay()); d = d.plusDays(1)) {
                if (!d.isBefore(firstDay) && !d.isAfter(lastDay)) {
                    wishes.add(new ShiftRequest(request.practitionerId(), d, request.shiftKind(),
                            "WANT".equals(request.kind())));
                }
            }
        }
        return new RosterProblem(teamName(careTeamId), firstDay, days, staff, demand(firstDay, days), leave, wishes);
    }

    private List<ShiftDemand> demand(LocalDate firstDay, int days) {
        RosteringSettings.Demand d = settings.demand();
        List<ShiftDemand> demand = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            LocalDate date = firstDay.plusDays(i);
            boolean weekend = date.getDayOfWeek().getValue() >= 6;
            add(demand, date, ShiftKind.EARLY, weekend ? d.earlyWeekend() : d.earlyWeekday(), d.seniorsPerShift());
            add(demand, date, ShiftKind.LATE, weekend ? d.lateWeekend() : d.lateWeekday(), d.seniorsPerShift());
            add(demand, date, ShiftKind.NIGHT, d.night(), d.seniorsPerShift());
        }
        return demand;
    }

    private static void add(List<ShiftDemand> demand, LocalDate date, ShiftKind kind, int headcount, int seniors) {
        if (headcount > 0) {
            demand.add(new ShiftDemand(date, kind, headcount, Math.min(seniors, headcount)));
        }
    }

    private CareTeam careTeam(String careTeamId) {
        try {
            return repository.read("CareTeam", careTeamId).parse(CareTeam.class);
        } catch (FhirException e) {
            throw BankShifts.refuse(404, ErrorCode.ROSTER_TEAM_UNKNOWN, "There is no team " + careTeamId + ".");
        }
    }
}
