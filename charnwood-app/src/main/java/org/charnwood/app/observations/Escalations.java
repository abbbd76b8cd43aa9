package org.charnwood.app.observations;

import org.charnwood.app.security.Activity;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.ConflictRetry;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the escalation chain for deteriorating patients. A derived NEWS2 score at low-medium, medium or high risk
 * opens an escalation {@code Task} for the nurse in charge (of the patient's ward, or in the community of the
 * patient's team), unless one is already open, which then takes the new score (and its higher priority). An
 * unanswered escalation alerts the same role again halfway through its response window and goes up to the
 * doctor on call or team lead when the window ends; declining passes it up too. Every step is a new version of
 * the Task with a note saying what happened and when, so the chain can be replayed from its history.
 */
@Component
class Escalations {

    static final String TASK_SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/task-code";
    static final String ESCALATION = "news2-escalation";
    static final String STATUS_SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/escalation-status";

    private static final Logger log = LoggerFactory.getLogger(Escalations.class);

    private final FhirRepository repository;
    private final EscalationSettings settings;
    private final Clock clock;

    Escalations(FhirRepository repository, EscalationSettings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    /** How many open escalations the timed check reads at a time. */
    private static final int CHECK_PAGE = 500;

    /** A NEWS2 score was written: open or update the patient's escalation when its risk calls for one. */
    void consider(Observation score) {
        try {
            ClinicalRisk risk = riskOf(score);
            if (risk != null && risk.escalates() && score.getStatus() == Observation.ObservationStatus.FINAL) {
                ConflictRetry.run(() -> {
                    open(score, risk, clock.instant());
                    return null;
                });
            }
        } catch (RuntimeException e) {
            log.error("NEWS2 escalation failed for a changed Observation: {}", Failures.describe(e));
        }
    }

    /** The clinical risk of a NEWS2 score the platform derived; null for anything else. */
    static ClinicalRisk riskOf(Observation observation) {
        if (!News2Codes.isNews2Total(observation.getCode())) {
            return null;
        }
        for (CodeableConcept interpretation : observation.getInterpretation()) {
            for (Coding coding : interpretation.getCoding()) {
                if (News2Codes.RISK_SYSTEM.equals(coding.getSystem())) {
                    for (ClinicalRisk risk : ClinicalRisk.values()) {
                        if (News2ScoreObservation.riskCode(risk).equals(coding.getCode())) {
                            return risk;
                        }
                    }
                }
            }
        }
        return null;
    }

    void open(Observation score, ClinicalRisk risk, Instant now) {
        String patient = score.getSubject().getReference();
        String scoreReference = "Observation/" + score.getIdElement().getIdPart();
        repository.inTransaction(session -> {
            lock(session, patient);
            List<Task> open = openEscalations(session, "patient", patient, CHECK_PAGE);
            if (!open.isEmpty()) {
                Task task = open.get(0);
                if (scoreReference.equals(task.getFocus().getReference())) {
                    return null; // the same score delivered again
                }
                ClinicalRisk previous = riskOfPriority(task.getPriority());
                task.setFocus(new Reference(scoreReference));
                task.setDescription(description(score, risk));
                note(task, now, "New NEWS2 score " + total(score) + " (" + risk.label() + " clinical risk)");
                if (risk.compareTo(previous) > 0) {
                    task.setPriority(priority(risk));
                    due(task, now.plus(settings.responseWindow(risk)));
                }
                save(session, task, now);
                return null;
            }
            session.create(newEscalation(session, score, risk, now));
            return null;
        });
    }

    private Task newEscalation(WriteSession session, Observation score, ClinicalRisk risk, Instant now)
            throws SQLException {
        Task task = new Task();
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setPriority(priority(risk));
        task.setCode(new CodeableConcept(new Coding(TASK_SYSTEM, ESCALATION, "NEWS2 escalation")));
        task.setDescription(description(score, risk));
        task.setFocus(new Reference("Observation/" + score.getIdElement().getIdPart()));
        task.setFor(new Reference(score.getSubject().getReference()));
        task.setAuthoredOn(Date.from(now));
        if (score.hasEncounter()) {
            task.setEncounter(new Reference(score.getEncounter().getReference()));
        }
        Responsibility responsible = responsibility(session, score);
        if (responsible.team() != null) {
            task.setOwner(new Reference(responsible.team()));
        }
        if (responsible.ward() != null) {
            task.setLocation(new Reference(responsible.ward()));
        }
        level(task, EscalationLevel.NURSE_IN_CHARGE, "awaiting-response");
        due(task, now.plus(settings.responseWindow(risk)));
        note(task, now, "NEWS2 " + total(score) + " (" + risk.label() + " clinical risk): alerted "
                + EscalationLevel.NURSE_IN_CHARGE.display().toLowerCase(java.util.Locale.ROOT));
        task.setLastModified(Date.from(now));
        return task;
    }

    /** Re-alerts and escalates unanswered escalations; runs on a timer. */
    @Scheduled(fixedDelayString = "${charnwood.escalation.check-interval:30s}", initialDelayString = "30s")
    void checkOverdueOnTimer() {
        try {
            checkOverdue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("Escalation check failed; will retry: {}", Failures.describe(e));
        }
    }

    /**
     * Advances every open escalation that is due. Each is advanced in a transaction of its own, and one that cannot
     * be advanced (written through the API without the fields this needs, say) is logged and passed over, so that
     * it never holds back the escalations after it.
     */
    void checkOverdue(Instant now) {
        checkOverdue(now, CHECK_PAGE);
    }

    /** As {@link #checkOverdue(Instant)}, reading the open escalations {@code pageSize} at a time. */
    void checkOverdue(Instant now, int pageSize) {
        List<Task> open = repository.inTransaction(session -> openEscalations(session, null, null, pageSize));
        for (Task task : open) {
            try {
                repository.inTransaction(session -> {
                    lock(session, task.getFor().getReference());
                    Task current = reread(session, task);
                    if (current != null && current.getStatus() == Task.TaskStatus.REQUESTED) {
                        advance(session, current, now);
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                log.error("An open escalation could not be advanced; the others are checked: {}",
                        Failures.describe(e));
            }
        }
    }

    private void advance(WriteSession session, Task task, Instant now) throws SQLException {
        Duration window = settings.responseWindow(riskOfPriority(task.getPriority()));
        Instant due = dueTime(task, window, now);
        EscalationLevel level = levelOf(task);
        if (!now.isBefore(due)) {
            EscalationLevel next = level.next();
            if (next != null) {
                level(task, next, "escalated");
                note(task, now, "No response from " + level.display().toLowerCase(java.util.Locale.ROOT)
                        + ": escalated to " + next.display().toLowerCase(java.util.Locale.ROOT));
            } else {
                level(task, level, "re-alerted");
                note(task, now, "Still no response: alerted " + level.display().toLowerCase(java.util.Locale.ROOT)
                        + " again");
            }
            due(task, now.plus(window));
            save(session, task, now);
        } else if (!now.isBefore(due.minus(window.dividedBy(2))) && "awaiting-response".equals(businessStatus(task))
                || !now.isBefore(due.minus(window.dividedBy(2))) && "escalated".equals(businessStatus(task))) {
            level(task, level, "re-alerted");
            note(task, now, "No response yet: alerted " + level.display().toLowerCase(java.util.Locale.ROOT) + " again");
            save(session, task, now);
        }
    }

    /** The responsible role takes the escalation on. */
    void accept(String taskId, String responder, Instant now) {
        accept(taskId, responder, null, now);
    }

    /**
     * The requester takes the escalation on, when it is addressed to them ({@link #requireResponder}); checked in
     * the transaction that writes, so the Task checked is the Task changed.
     */
    void accept(String taskId, Requester requester, Instant now) {
        accept(taskId, requester.fhirUser(), requester, now);
    }

    private void accept(String taskId, String responder, Requester requester, Instant now) {
        repository.inTransaction(session -> {
            Task task = current(session, taskId);
            if (requester != null) {
                requireResponder(session, task, requester);
            }
            requireOpen(task);
            task.setStatus(Task.TaskStatus.ACCEPTED);
            task.setOwner(new Reference(responder));
            level(task, levelOf(task), "accepted");
            note(task, now, "Accepted by " + responder);
            save(session, task, now);
            return null;
        });
    }

    /** The responsible role declines, with a reason: it goes up a rung, or at the top the chain ends. */
    void decline(String taskId, String responder, String reason, Instant now) {
        decline(taskId, responder, null, reason, now);
    }

    /** The requester declines an escalation addressed to them, with a reason ({@link #requireResponder}). */
    void decline(String taskId, Requester requester, String reason, Instant now) {
        decline(taskId, requester.fhirUser(), requester, reason, now);
    }

    private void decline(String taskId, String responder, Requester requester, String reason, Instant now) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A reason is needed to decline an escalation");
        }
        repository.inTransaction(session -> {
            Task task = current(session, taskId);
            if (requester != null) {
                requireResponder(session, task, requester);
            }
            requireOpen(task);
            EscalationLevel level = levelOf(task);
            EscalationLevel next = level.next();
            if (next != null) {
                level(task, next, "escalated");
                due(task, now.plus(settings.responseWindow(riskOfPriority(task.getPriority()))));
                note(task, now, "Declined by " + responder + " (" + reason + "): escalated to "
                        + next.display().toLowerCase(java.util.Locale.ROOT));
            } else {
                task.setStatus(Task.TaskStatus.REJECTED);
                task.setStatusReason(new CodeableConcept().setText(reason));
                level(task, level, "declined");
                note(task, now, "Declined by " + responder + ": " + reason);
            }
            save(session, task, now);
            return null;
        });
    }

    /** The patient an escalation is about (its {@code for}), or none when there is no such escalation. */
    java.util.Optional<String> patientOf(String taskId) {
        return repository.inTransaction(session -> session.current("Task", taskId).filter(s -> !s.deleted())
                .map(s -> s.parse(Task.class)).filter(t -> t.getCode().hasCoding(TASK_SYSTEM, ESCALATION))
                .map(t -> t.getFor().getReferenceElement().getIdPart()).filter(id -> id != null));
    }

    /** Refuses (403) unless the requester may answer the escalation ({@link #requireResponder}); reads only. */
    void requireResponder(String taskId, Requester requester) {
        repository.inTransaction(session -> {
            requireResponder(session, current(session, taskId), requester);
            return null;
        });
    }

    /**
     * Who may answer an escalation: a person (the Task's owner becomes them) whose role permits responding to
     * escalations, to whom it is addressed — its owner, or a member of the team that owns it. The FHIR API lets
     * nobody take over another's Task; the pages hold to the same, with the team standing for its members.
     */
    private void requireResponder(WriteSession session, Task task, Requester requester) throws SQLException {
        if (!requester.permits(Activity.RESPOND_TO_ESCALATION)) {
            throw forbidden("Your role does not permit answering escalations");
        }
        String me = requester.fhirUser();
        String owner = task.getOwner().getReference();
        if (me == null || !me.startsWith("Practitioner/")) {
            throw forbidden("Only a member of staff signed in as themselves can answer an escalation");
        }
        if (me.equals(owner)) {
            return;
        }
        CareTeam team = owner != null && owner.startsWith("CareTeam/") ? read(session, owner, CareTeam.class) : null;
        if (team != null && team.getStatus() == CareTeam.CareTeamStatus.ACTIVE) {
            java.util.Set<String> actors = new java.util.HashSet<>(roles(session, me));
            actors.add(me);
            Date now = Date.from(clock.instant());
            boolean member = team.getParticipant().stream()
                    .filter(p -> !p.hasPeriod() || !p.getPeriod().hasEnd() || p.getPeriod().getEnd().after(now))
                    .anyMatch(p -> actors.contains(p.getMember().getReference()));
            if (member) {
                return;
            }
        }
        throw forbidden("This escalation is addressed to another team: only its team may answer it");
    }

    /** The person's active PractitionerRoles, as references: a team may list a member by their role. */
    private static List<String> roles(WriteSession session, String practitioner) throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("practitioner", List.of(practitioner));
        parameters.put("active", List.of("true"));
        return session.load(session.search(new SearchRequest("PractitionerRole", parameters, false)).matches())
                .stream().filter(s -> !s.deleted()).map(s -> "PractitionerRole/" + s.id()).toList();
    }

    private static FhirException forbidden(String message) {
        return FhirException.of(403, ErrorCode.WRITE_NOT_PERMITTED, IssueType.FORBIDDEN, message);
    }

    // ----- the Task's fields ---------------------------------------------------------------------------------

    private static void level(Task task, EscalationLevel level, String status) {
        task.getPerformerType().clear();
        task.addPerformerType(new CodeableConcept(new Coding(EscalationLevel.SYSTEM, level.code(), level.display())));
        task.setBusinessStatus(new CodeableConcept(new Coding(STATUS_SYSTEM, status, null)).setText(status));
    }

    static EscalationLevel levelOf(Task task) {
        for (CodeableConcept type : task.getPerformerType()) {
            for (Coding coding : type.getCoding()) {
                EscalationLevel level = EscalationLevel.SYSTEM.equals(coding.getSystem())
                        ? EscalationLevel.ofCode(coding.getCode()) : null;
                if (level != null) {
                    return level;
                }
            }
        }
        return EscalationLevel.NURSE_IN_CHARGE;
    }

    private static String businessStatus(Task task) {
        return task.getBusinessStatus().getCodingFirstRep().getCode();
    }

    /**
     * When a response is due. An escalation written without a due time (through the API rather than by this class)
     * is due a response window after it was authored, or at once when it says neither: an escalation nobody can
     * date must still reach someone.
     */
    private static Instant dueTime(Task task, Duration window, Instant now) {
        if (task.getRestriction().getPeriod().hasEnd()) {
            return task.getRestriction().getPeriod().getEnd().toInstant();
        }
        return task.hasAuthoredOn() ? task.getAuthoredOn().toInstant().plus(window) : now;
    }

    private static void due(Task task, Instant due) {
        task.getRestriction().getPeriod().setEnd(Date.from(due));
    }

    private static void note(Task task, Instant at, String text) {
        task.addNote().setTime(Date.from(at)).setText(text);
    }

    private static Task.TaskPriority priority(ClinicalRisk risk) {
        return switch (risk) {
            case HIGH -> Task.TaskPriority.STAT;
            case MEDIUM -> Task.TaskPriority.URGENT;
            default -> Task.TaskPriority.ASAP;
        };
    }

    private static ClinicalRisk riskOfPriority(Task.TaskPriority priority) {
        return priority == Task.TaskPriority.STAT ? ClinicalRisk.HIGH
                : priority == Task.TaskPriority.URGENT ? ClinicalRisk.MEDIUM : ClinicalRisk.LOW_MEDIUM;
    }

    private static String description(Observation score, ClinicalRisk risk) {
        String response = switch (risk) {
            case HIGH -> "emergency assessment by a team with critical-care competencies";
            case MEDIUM -> "urgent assessment by a clinician competent in acute illness";
            default -> "review by the medical team, who decide whether to escalate care";
        };
        return "NEWS2 " + total(score) + " (" + risk.label() + " clinical risk): " + response;
    }

    private static int total(Observation score) {
        return score.getValueQuantity().getValue().intValue();
    }

    // ----- reading and writing -------------------------------------------------------------------------------

    private record Responsibility(String team, String ward) {
    }

    /** The team answerable for the patient (from the score's encounter, else an active episode), and the ward. */
    private Responsibility responsibility(WriteSession session, Observation score) throws SQLException {
        String team = null;
        String ward = null;
        if (score.hasEncounter()) {
            Encounter encounter = read(session, score.getEncounter().getReference(), Encounter.class);
            if (encounter != null) {
                for (Encounter.EncounterLocationComponent location : encounter.getLocation()) {
                    if ("wa".equals(location.getPhysicalType().getCodingFirstRep().getCode())) {
                        ward = location.getLocation().getReference();
                    }
                }
                if (encounter.hasEpisodeOfCare()) {
                    EpisodeOfCare episode = read(session, encounter.getEpisodeOfCareFirstRep().getReference(),
                            EpisodeOfCare.class);
                    team = episode != null && episode.hasTeam() ? episode.getTeamFirstRep().getReference() : null;
                }
            }
        }
        if (team == null) {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            parameters.put("patient", List.of(score.getSubject().getReference()));
            parameters.put("status", List.of("active"));
            for (StoredResource stored : session.load(session.search(
                    new SearchRequest("EpisodeOfCare", parameters, false)).matches())) {
                EpisodeOfCare episode = stored.parse(EpisodeOfCare.class);
                if (episode.hasTeam()) {
                    team = episode.getTeamFirstRep().getReference();
                    break;
                }
            }
        }
        return new Responsibility(team, ward);
    }

    private static List<Task> openEscalations(WriteSession session, String parameter, String value, int pageSize)
            throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("code", List.of(TASK_SYSTEM + "|" + ESCALATION));
        parameters.put("status", List.of("requested"));
        if (parameter != null) {
            parameters.put(parameter, List.of(value));
        }
        parameters.put("_count", List.of(Integer.toString(pageSize)));
        // Every page: an escalation beyond the first page must still be advanced.
        return session.load(session.everyMatch(new SearchRequest("Task", parameters, false))).stream()
                .map(s -> s.parse(Task.class)).toList();
    }

    private static Task reread(WriteSession session, Task task) throws SQLException {
        return session.current("Task", task.getIdElement().getIdPart()).filter(s -> !s.deleted())
                .map(s -> s.parse(Task.class)).orElse(null);
    }

    private static Task current(WriteSession session, String taskId) throws SQLException {
        // Only escalations are answered here: any other Task is, to this door, not there.
        Task task = session.current("Task", taskId).filter(s -> !s.deleted()).map(s -> s.parse(Task.class))
                .filter(t -> t.getCode().hasCoding(TASK_SYSTEM, ESCALATION))
                .orElseThrow(() -> FhirException.notFound("Task", taskId));
        lock(session, task.getFor().getReference());
        return reread(session, task);
    }

    private static void requireOpen(Task task) {
        if (task.getStatus() != Task.TaskStatus.REQUESTED) {
            throw new IllegalStateException("This escalation has already been answered");
        }
    }

    private static void save(WriteSession session, Task task, Instant now) throws SQLException {
        task.setLastModified(Date.from(now));
        String id = task.getIdElement().getIdPart();
        // The store stamps the new version; what the Task was labelled (its confidentiality above all: a very
        // restricted escalation must stay hidden from those its label hides it from), tagged and claimed to conform
        // to stays with it.
        org.hl7.fhir.r4.model.Meta kept = new org.hl7.fhir.r4.model.Meta();
        if (task.hasMeta()) {
            kept.setSecurity(task.getMeta().getSecurity());
            kept.setTag(task.getMeta().getTag());
            kept.setProfile(task.getMeta().getProfile());
            kept.setSourceElement(task.getMeta().getSourceElement());
        }
        task.setMeta(kept.isEmpty() ? null : kept);
        session.update("Task", id, task, null);
    }

    private static <T extends Resource> T read(WriteSession session, String reference, Class<T> type)
            throws SQLException {
        String[] parts = reference.split("/");
        if (parts.length != 2) {
            return null;
        }
        return session.current(parts[0], parts[1]).filter(s -> !s.deleted()).map(s -> s.parse(type)).orElse(null);
    }

    private static void lock(WriteSession session, String patient) throws SQLException {
        session.lock("escalation|" + patient);
    }

}
