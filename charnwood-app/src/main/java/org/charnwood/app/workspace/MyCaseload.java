package org.charnwood.app.workspace;

import org.charnwood.app.web.PatientDisplay;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A practitioner's own caseload: the open episodes of care of the teams they belong to (active CareTeams listing
 * them, directly or through one of their PractitionerRoles, as a participant, the way the demo trust and the access
 * policy link staff to teams) and today's contacts: their Appointments and the Encounters they took part in.
 */
@Component
class MyCaseload {

    /** One open episode on the caseload. */
    record Episode(String patientId, String patientName, String nhsNumber, String service, String team,
                   String since) {
    }

    /** One of today's contacts: booked (an Appointment) or recorded (an Encounter). */
    record TodaysContact(String time, String patientId, String patientName, String what, String status,
                         Date sortKey) {
    }

    /** The whole page. */
    record Caseload(List<String> teams, List<Episode> episodes, List<TodaysContact> today) {
    }

    private final ClinicalRecord record;
    private final Clock clock;

    MyCaseload(ClinicalRecord record, Clock clock) {
        this.record = record;
        this.clock = clock;
    }

    Caseload of(String practitioner) {
        if (practitioner == null) {
            return new Caseload(List.of(), List.of(), List.of());
        }
        Set<String> me = new LinkedHashSet<>();
        me.add(practitioner);
        if (practitioner.startsWith("Practitioner/")) {
            for (PractitionerRole role : record.search("PractitionerRole", PractitionerRole.class,
                    "practitioner", practitioner, "_count", "50")) {
                me.add("PractitionerRole/" + role.getIdElement().getIdPart());
            }
        }
        Map<String, String> teams = new HashMap<>();
        for (CareTeam team : record.search("CareTeam", CareTeam.class, "participant", String.join(",", me),
                "status", "active", "_count", "100")) {
            String id = "CareTeam/" + team.getIdElement().getIdPart();
            teams.put(id, team.hasName() ? team.getName() : id);
        }
        Map<String, Patient> patients = new HashMap<>();
        List<Episode> episodes = new ArrayList<>();
        if (!teams.isEmpty()) {
            // EpisodeOfCare.team is indexed by the search parameter the access policy registers for caseloads.
            List<EpisodeOfCare> open = record.search("EpisodeOfCare", EpisodeOfCare.class,
                    "team", String.join(",", teams.keySet()), "status", "active", "_count", "1000");
            prefetch(patients, open.stream().map(e -> id(e.getPatient())).toList());
            for (EpisodeOfCare episode : open) {
                String team = episode.getTeam().stream().map(Reference::getReference).filter(teams::containsKey)
                        .findFirst().orElse(null);
                if (team == null) {
                    continue;
                }
                String patientId = id(episode.getPatient());
                Patient patient = patient(patients, patientId);
                episodes.add(new Episode(patientId, patient == null ? episode.getPatient().getReference()
                        : Text.name(patient), patient == null ? null : PatientDisplay.nhsNumber(patient),
                        episode.hasType() ? Text.concept(episode.getTypeFirstRep()) : "Episode of care",
                        teams.get(team), episode.getPeriod().hasStart() ? Text.date(episode.getPeriod().getStart()) : ""));
            }
        }
        episodes.sort(Comparator.comparing(Episode::patientName));
        String today = DateTimeFormatter.ISO_LOCAL_DATE.format(LocalDate.ofInstant(clock.instant(), Text.UK));
        String actors = String.join(",", me);
        List<TodaysContact> contacts = new ArrayList<>();
        for (Appointment appointment : record.search("Appointment", Appointment.class, "actor", actors,
                "date", today, "_count", "100")) {
            String patientId = appointment.getParticipant().stream().map(p -> p.getActor().getReference())
                    .filter(r -> r != null && r.startsWith("Patient/")).map(r -> r.substring("Patient/".length()))
                    .findFirst().orElse(null);
            Patient patient = patientId == null ? null : patient(patients, patientId);
            contacts.add(new TodaysContact(time(appointment.getStart()), patientId,
                    patient == null ? "" : Text.name(patient),
                    appointment.hasServiceType() ? Text.concept(appointment.getServiceTypeFirstRep())
                            : appointment.hasDescription() ? appointment.getDescription() : "Appointment",
                    appointment.hasStatus() ? appointment.getStatus().getDisplay() : "", appointment.getStart()));
        }
        for (Encounter encounter : record.search("Encounter", Encounter.class, "participant", actors,
                "date", today, "_count", "100")) {
            String patientId = id(encounter.getSubject());
            Patient patient = patient(patients, patientId);
            contacts.add(new TodaysContact(time(encounter.getPeriod().getStart()), patientId,
                    patient == null ? "" : Text.name(patient), ContactTimeline.row(encounter, Map.of()).what(),
                    encounter.getExtensionByUrl(ContactCoding.DID_NOT_ATTEND_EXTENSION) != null ? "Did not attend"
                            : encounter.hasStatus() ? encounter.getStatus().getDisplay() : "",
                    encounter.getPeriod().getStart()));
        }
        contacts.sort(Comparator.comparing(TodaysContact::sortKey, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Caseload(teams.values().stream().sorted().toList(), episodes, contacts);
    }

    private Patient patient(Map<String, Patient> cache, String id) {
        if (id == null) {
            return null;
        }
        if (cache.containsKey(id)) {
            return cache.get(id);
        }
        Patient patient = record.read("Patient", id, Patient.class).orElse(null);
        cache.put(id, patient);
        return patient;
    }

    /** Reads the caseload's patients together; one not found (or not visible) is remembered as such. */
    private void prefetch(Map<String, Patient> cache, List<String> ids) {
        List<String> wanted = ids.stream().filter(java.util.Objects::nonNull).filter(i -> !cache.containsKey(i))
                .distinct().toList();
        Map<String, Patient> found = record.patients(wanted);
        wanted.forEach(id -> cache.put(id, found.get(id)));
    }

    private static String id(Reference reference) {
        String r = reference.getReference();
        return r == null ? null : r.substring(r.indexOf('/') + 1);
    }

    private static String time(Date date) {
        return date == null ? "" : DateTimeFormatter.ofPattern("HH:mm").format(date.toInstant().atZone(Text.UK));
    }
}
