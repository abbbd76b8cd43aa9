package org.charnwood.app.workspace;

import org.charnwood.app.web.PatientDisplay;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Builds the ward board (every bed of a ward with its patient) and the team caseload (every patient with an
 * active episode of care with the team): latest NEWS2 with a trend, open escalations, observations due.
 */
@Component
class Boards {

    static final String ESCALATION_CODE = "https://charnwood.nhs.uk/fhir/CodeSystem/task-code|news2-escalation";

    private final ClinicalRecord record;
    private final News2History news2;
    private final Clock clock;

    Boards(ClinicalRecord record, News2History news2, Clock clock) {
        this.record = record;
        this.news2 = news2;
        this.clock = clock;
    }

    List<BoardRow> ward(String wardId) {
        List<Location> beds = new ArrayList<>(record.search("Location", Location.class,
                "partof", "Location/" + wardId, "_count", "200"));
        beds.sort(Comparator.comparing(b -> b.getIdElement().getIdPart()));
        Map<String, String> patientInBed = occupants(wardId);
        Known known = known(patientInBed.values());
        List<BoardRow> rows = new ArrayList<>();
        for (Location bed : beds) {
            String label = bed.getName();
            String patient = patientInBed.get("Location/" + bed.getIdElement().getIdPart());
            rows.add(patient == null ? emptyBed(label) : row(label, patient, known));
        }
        return rows;
    }

    /** Who is in each of the ward's places now: location reference to patient reference. */
    private Map<String, String> occupants(String wardId) {
        Map<String, String> patientInBed = new HashMap<>();
        for (Encounter stay : record.search("Encounter", Encounter.class, "location", "Location/" + wardId,
                "status", "in-progress", "_count", "500")) {
            for (Encounter.EncounterLocationComponent location : stay.getLocation()) {
                if (location.getStatus() != Encounter.EncounterLocationStatus.COMPLETED) {
                    patientInBed.put(location.getLocation().getReference(), stay.getSubject().getReference());
                }
            }
        }
        return patientInBed;
    }

    /** The patients on the ward now (references), without building the board. */
    Set<String> wardPatients(String wardId) {
        return new HashSet<>(occupants(wardId).values());
    }

    List<BoardRow> team(String careTeamId) {
        List<EpisodeOfCare> episodes = caseload(careTeamId);
        Known known = known(episodes.stream().map(e -> e.getPatient().getReference()).toList());
        List<BoardRow> rows = new ArrayList<>();
        for (EpisodeOfCare episode : episodes) {
            rows.add(row(episode.hasType() ? Text.concept(episode.getTypeFirstRep()) : "Caseload",
                    episode.getPatient().getReference(), known));
        }
        rows.sort(Comparator.comparing(BoardRow::patientName));
        return rows;
    }

    /** The patients on the team's caseload now (references), without building the board. */
    Set<String> teamPatients(String careTeamId) {
        Set<String> patients = new HashSet<>();
        caseload(careTeamId).forEach(e -> patients.add(e.getPatient().getReference()));
        return patients;
    }

    private List<EpisodeOfCare> caseload(String careTeamId) {
        // EpisodeOfCare.team is indexed by the search parameter the access policy registers for caseloads, so the
        // team's episodes are found directly, however many other teams' episodes are open.
        return record.search("EpisodeOfCare", EpisodeOfCare.class, "team", "CareTeam/" + careTeamId,
                "status", "active", "_count", "1000");
    }

    private static BoardRow emptyBed(String label) {
        return new BoardRow(label, null, null, null, null, News2Trend.of(List.of(), 80, 24, 3), List.of(), "", false);
    }

    /** What the board shows of its patients that can be read for all of them at once, by patient id. */
    private record Known(Map<String, Patient> patients, Map<String, List<OpenEscalation>> escalations) {
    }

    /**
     * The board's patients and their open escalations, read many patients to a search rather than one at a time.
     * An escalation is part of the patient's clinical record (its description quotes the NEWS2 score), so it is
     * shown only for the patients whose clinical record the person may open: not to a booking clerk, nor to a
     * nurse of another team looking at this team's board.
     */
    private Known known(java.util.Collection<String> patientReferences) {
        List<String> ids = patientReferences.stream().map(Boards::patientId).distinct().toList();
        Set<String> clinical = record.clinicallyOpen(ids);
        List<String> escalated = ids.stream().filter(clinical::contains).toList();
        Map<String, List<OpenEscalation>> escalations = new HashMap<>();
        for (List<String> batch : ClinicalRecord.patientBatches(escalated)) {
            for (Task task : record.search("Task", Task.class, "code", ESCALATION_CODE, "status", "requested",
                    "patient", String.join(",", batch.stream().map(id -> "Patient/" + id).toList()), "_count", "1000")) {
                // By patient id, however the Task wrote the reference (the search also matches this server's
                // absolute URLs).
                escalations.computeIfAbsent(patientId(task.getFor().getReference()), k -> new ArrayList<>())
                        .add(escalation(task));
            }
        }
        return new Known(record.patients(ids), escalations);
    }

    private static String patientId(String reference) {
        return new org.hl7.fhir.r4.model.IdType(reference).getIdPart();
    }

    private BoardRow row(String place, String patientReference, Known known) {
        String patientId = patientId(patientReference);
        Patient patient = known.patients().get(patientId);
        String name = patient == null ? patientReference : Text.name(patient);
        String nhs = patient == null ? null : PatientDisplay.nhsNumber(patient);
        List<News2Point> recent = news2.recent(patientReference, 8);
        News2Point latest = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        Instant now = clock.instant();
        String due;
        boolean overdue = false;
        if (latest == null) {
            due = "No NEWS2 recorded";
        } else {
            Duration within = interval(latest);
            if (within == null) {
                due = "Continuous monitoring";
                overdue = Duration.between(latest.at(), now).compareTo(Duration.ofHours(1)) > 0;
            } else {
                Instant next = latest.at().plus(within);
                overdue = now.isAfter(next);
                due = (overdue ? "Overdue since " : "Due by ") + Text.dateTime(Date.from(next));
            }
        }
        return new BoardRow(place, patientId, name, nhs, latest, News2Trend.of(recent, 80, 24, 3),
                known.escalations().getOrDefault(patientId, List.of()), due, overdue);
    }

    /** The chart's minimum monitoring frequency for a score; null for continuous monitoring. */
    static Duration interval(News2Point score) {
        return switch (score.risk() == null ? "" : score.risk()) {
            case "high" -> null;
            case "medium", "low-medium" -> Duration.ofHours(1);
            default -> score.total() == 0 ? Duration.ofHours(12) : Duration.ofHours(4);
        };
    }

    static OpenEscalation escalation(Task task) {
        return new OpenEscalation(task.getIdElement().getIdPart(), task.getDescription(),
                task.hasPriority() ? task.getPriority().getDisplay() : "",
                concept(task.getPerformerTypeFirstRep()), concept(task.getBusinessStatus()),
                task.getRestriction().getPeriod().hasEnd()
                        ? Text.dateTime(task.getRestriction().getPeriod().getEnd()) : "");
    }

    private static String concept(CodeableConcept concept) {
        String text = Text.concept(concept);
        return text == null ? "" : text.replace('-', ' ');
    }
}
