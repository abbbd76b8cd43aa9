package org.charnwood.app.triage;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads referrals and everything recorded about them (triage Tasks, information requests, the episode opened
 * on acceptance, contacts, the patient, the pathway's targets) through the repository under the access scope
 * given, and measures their clocks. Related resources are fetched in a few searches for a whole list of
 * referrals at once, not one referral at a time.
 */
@Component
class ReferralRecords {

    /** Referral ids per search: keeps the OR lists of one query to a sensible length. */
    private static final int BATCH = 50;
    private static final String PAGE = "1000";

    private final FhirRepository repository;
    private final TriageSettings settings;
    private final ClockCalculator calculator;

    ReferralRecords(FhirRepository repository, TriageSettings settings) {
        this.repository = repository;
        this.settings = settings;
        this.calculator = new ClockCalculator(settings.zone());
    }

    /** Open referrals (active or on hold) to the service. */
    List<Referral> open(String serviceId, AccessScope scope, Instant now) {
        return assemble(search("ServiceRequest", ServiceRequest.class, scope, "performer",
                ReferralCodes.HEALTHCARE_SERVICE + serviceId, "status", "active,on-hold", "_count", PAGE), scope, now);
    }

    /** Every referral to the service received at or after {@code since}, whatever its status. */
    List<Referral> receivedSince(String serviceId, Instant since, AccessScope scope, Instant now) {
        List<ServiceRequest> all = search("ServiceRequest", ServiceRequest.class, scope, "performer",
                ReferralCodes.HEALTHCARE_SERVICE + serviceId, "_count", PAGE);
        return assemble(all.stream().filter(sr -> !received(sr).isBefore(since))
                .filter(sr -> sr.getStatus() != ServiceRequest.ServiceRequestStatus.ENTEREDINERROR).toList(), scope, now);
    }

    /** Referrals made by the person (their Practitioner, or any of their PractitionerRoles). */
    List<Referral> requestedBy(String fhirUser, AccessScope scope, Instant now) {
        Set<String> me = selves(fhirUser);
        return assemble(search("ServiceRequest", ServiceRequest.class, scope, "requester", String.join(",", me),
                "_count", PAGE), scope, now);
    }

    /** Open information requests addressed to the person. */
    List<InformationRequest> outstandingFor(String fhirUser, AccessScope scope) {
        return search("Task", Task.class, scope, "owner", String.join(",", selves(fhirUser)), "code",
                ReferralCodes.TASK_CODES + "|" + ReferralCodes.INFORMATION_REQUEST, "_count", PAGE).stream()
                .map(ReferralRecords::informationRequest).filter(InformationRequest::outstanding).toList();
    }

    /** One referral, when the scope lets the person see it. */
    Optional<Referral> one(String id, AccessScope scope, Instant now) {
        return read("ServiceRequest", id, ServiceRequest.class, scope)
                .map(sr -> assemble(List.of(sr), scope, now).get(0));
    }

    /** The referral form's answers, question by question. */
    List<Answer> answers(Referral referral, AccessScope scope) {
        List<QuestionnaireResponse> found = new ArrayList<>();
        if (referral.questionnaireResponse() != null) {
            read("QuestionnaireResponse", referral.questionnaireResponse(), QuestionnaireResponse.class, scope)
                    .ifPresent(found::add);
        }
        if (found.isEmpty()) {
            found.addAll(search("QuestionnaireResponse", QuestionnaireResponse.class, scope, "based-on",
                    "ServiceRequest/" + referral.id()));
        }
        List<Answer> answers = new ArrayList<>();
        found.stream().findFirst().ifPresent(qr -> collect(qr.getItem(), answers));
        return answers;
    }

    private static void collect(List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items,
                                List<Answer> answers) {
        for (var item : items) {
            List<String> values = new ArrayList<>();
            for (var a : item.getAnswer()) {
                values.add(text(a.getValue()));
                collect(a.getItem(), answers);
            }
            if (!values.isEmpty()) {
                answers.add(new Answer(item.hasText() ? item.getText() : item.getLinkId(), String.join(", ", values)));
            }
            collect(item.getItem(), answers);
        }
    }

    private static String text(Type value) {
        if (value instanceof Coding c) {
            return c.hasDisplay() ? c.getDisplay() : c.getCode();
        }
        if (value instanceof org.hl7.fhir.r4.model.BooleanType b) {
            return b.booleanValue() ? "Yes" : "No";
        }
        if (value instanceof org.hl7.fhir.r4.model.Quantity q) {
            return q.getValue().toPlainString() + (q.hasUnit() ? " " + q.getUnit() : "");
        }
        if (value instanceof Reference r) {
            return r.hasDisplay() ? r.getDisplay() : r.getReference();
        }
        return value == null ? "" : value.primitiveValue();
    }

    /** The name of a service, or its id when it has none. */
    String serviceName(String serviceId) {
        return read("HealthcareService", serviceId, HealthcareService.class, AccessScope.UNRESTRICTED)
                .map(HealthcareService::getName).orElse(serviceId);
    }

    boolean serviceExists(String serviceId) {
        return read("HealthcareService", serviceId, HealthcareService.class, AccessScope.UNRESTRICTED).isPresent();
    }

    /** Active services, by name: where a referral can be redirected to. */
    List<HealthcareService> services() {
        return search("HealthcareService", HealthcareService.class, AccessScope.UNRESTRICTED, "_count", PAGE).stream()
                .filter(s -> !s.hasActive() || s.getActive())
                .sorted(Comparator.comparing(HealthcareService::getName, Comparator.nullsLast(String::compareTo)))
                .toList();
    }

    // --- assembling ------------------------------------------------------------------------------------------

    private List<Referral> assemble(List<ServiceRequest> requests, AccessScope scope, Instant now) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<String> refs = requests.stream().map(sr -> "ServiceRequest/" + sr.getIdElement().getIdPart()).toList();
        Map<String, List<Task>> tasks = new HashMap<>();
        Map<String, List<EpisodeOfCare>> episodes = new HashMap<>();
        Map<String, String> episodeReferral = new HashMap<>();
        Map<String, List<Encounter>> encounters = new HashMap<>();
        for (List<String> batch : batches(refs)) {
            String or = String.join(",", batch);
            for (Task t : search("Task", Task.class, scope, "focus", or, "_count", PAGE)) {
                tasks.computeIfAbsent(t.getFocus().getReference(), k -> new ArrayList<>()).add(t);
            }
            for (EpisodeOfCare e : search("EpisodeOfCare", EpisodeOfCare.class, scope, "incoming-referral", or,
                    "_count", PAGE)) {
                for (Reference r : e.getReferralRequest()) {
                    episodes.computeIfAbsent(r.getReference(), k -> new ArrayList<>()).add(e);
                    episodeReferral.put("EpisodeOfCare/" + e.getIdElement().getIdPart(), r.getReference());
                }
            }
            for (Encounter e : search("Encounter", Encounter.class, scope, "based-on", or, "_count", PAGE)) {
                for (Reference r : e.getBasedOn()) {
                    if (batch.contains(r.getReference())) {
                        encounters.computeIfAbsent(r.getReference(), k -> new ArrayList<>()).add(e);
                    }
                }
            }
        }
        for (List<String> batch : batches(new ArrayList<>(episodeReferral.keySet()))) {
            for (Encounter e : search("Encounter", Encounter.class, scope, "episode-of-care", String.join(",", batch),
                    "_count", PAGE)) {
                Set<String> referrals = new LinkedHashSet<>();
                e.getEpisodeOfCare().forEach(r -> {
                    if (episodeReferral.containsKey(r.getReference())) {
                        referrals.add(episodeReferral.get(r.getReference()));
                    }
                });
                for (String referral : referrals) {
                    List<Encounter> list = encounters.computeIfAbsent(referral, k -> new ArrayList<>());
                    if (list.stream().noneMatch(x -> x.getIdElement().getIdPart().equals(e.getIdElement().getIdPart()))) {
                        list.add(e);
                    }
                }
            }
        }
        Map<String, Patient> patients = new HashMap<>();
        List<String> patientIds = requests.stream().map(sr -> idPart(sr.getSubject().getReference(), "Patient"))
                .filter(java.util.Objects::nonNull).distinct().toList();
        for (List<String> batch : batches(patientIds)) {
            search("Patient", Patient.class, scope, "_id", String.join(",", batch), "_count", PAGE)
                    .forEach(p -> patients.put(p.getIdElement().getIdPart(), p));
        }
        Map<String, String> names = new HashMap<>();
        Map<String, Map<ReferralClock, java.time.Duration>> pathways = new HashMap<>();
        Map<String, String> serviceNames = new HashMap<>();
        List<Referral> out = new ArrayList<>();
        for (ServiceRequest sr : requests) {
            String ref = "ServiceRequest/" + sr.getIdElement().getIdPart();
            out.add(referral(sr, tasks.getOrDefault(ref, List.of()), episodes.getOrDefault(ref, List.of()),
                    encounters.getOrDefault(ref, List.of()), patients, names, pathways, serviceNames, now));
        }
        return out;
    }

    private Referral referral(ServiceRequest sr, List<Task> tasks, List<EpisodeOfCare> episodes,
                              List<Encounter> encounters, Map<String, Patient> patients, Map<String, String> names,
                              Map<String, Map<ReferralClock, java.time.Duration>> pathways,
                              Map<String, String> serviceNames, Instant now) {
        String id = sr.getIdElement().getIdPart();
        String serviceId = serviceOf(sr);
        String serviceName = serviceId == null ? null
                : serviceNames.computeIfAbsent(serviceId, this::serviceName);
        String patientId = idPart(sr.getSubject().getReference(), "Patient");
        Patient patient = patientId == null ? null : patients.get(patientId);
        Instant received = received(sr);

        List<TriageDecision> decisions = new ArrayList<>();
        List<InformationRequest> requests = new ArrayList<>();
        List<ClockEvent> events = new ArrayList<>();
        for (Task t : tasks) {
            String code = codeOf(t.getCode(), ReferralCodes.TASK_CODES);
            if (ReferralCodes.TRIAGE.equals(code) && t.getStatus() == Task.TaskStatus.COMPLETED) {
                Instant at = t.hasAuthoredOn() ? t.getAuthoredOn().toInstant() : received;
                String by = t.getRequester().getReference();
                String reason = t.hasStatusReason() ? display(t.getStatusReason()) : null;
                String onward = t.getOutput().stream().filter(o -> o.getValue() instanceof Reference)
                        .map(o -> ((Reference) o.getValue()).getReference()).findFirst().orElse(null);
                decisions.add(new TriageDecision(t.getIdElement().getIdPart(),
                        codeOf(t.getBusinessStatus(), ReferralCodes.TASK_CODES), at, by,
                        names.computeIfAbsent(by == null ? "" : by, this::nameOf), reason,
                        t.hasNote() ? t.getNoteFirstRep().getText() : null, onward));
                events.add(new ClockEvent(at, ClockEvent.Kind.TRIAGE_DECISION));
            } else if (ReferralCodes.INFORMATION_REQUEST.equals(code)) {
                requests.add(informationRequest(t));
            }
        }
        decisions.sort(Comparator.comparing(TriageDecision::at));
        requests.sort(Comparator.comparing(InformationRequest::asked, Comparator.nullsLast(Comparator.naturalOrder())));
        Instant accepted = decisions.stream().filter(d -> ReferralCodes.ACCEPTED.equals(d.outcome()))
                .map(TriageDecision::at).findFirst().orElse(null);

        Instant firstContact = null;
        for (Encounter e : encounters) {
            ClockEvent contact = contact(e);
            if (contact != null) {
                events.add(contact);
                if (firstContact == null || contact.at().isBefore(firstContact)) {
                    firstContact = contact.at();
                }
            }
        }
        ReferralStage stage = stage(sr, decisions);
        String episodeId = episodes.stream().map(e -> e.getIdElement().getIdPart()).findFirst().orElse(null);
        Map<ReferralClock, java.time.Duration> goals = sr.hasInstantiatesCanonical()
                ? pathways.computeIfAbsent(sr.getInstantiatesCanonical().get(0).getValue(), this::goals) : Map.of();
        List<ClockReading> clocks = new ArrayList<>();
        for (ReferralClock clock : ReferralClock.values()) {
            if (applies(clock, sr, serviceId, goals)) {
                ClockTarget target = new ClockTarget(goals.getOrDefault(clock, settings.defaultTarget(clock)),
                        settings.nearBreach(), settings.counting(clock));
                ClockReading reading = calculator.measure(clock, received, events, now, target);
                // A clock of a referral that left the service (declined, sent elsewhere, closed) without
                // stopping it has nothing more to wait for: it is not shown as running.
                if (reading.running() && (stage == ReferralStage.REJECTED || stage == ReferralStage.REDIRECTED
                        || stage == ReferralStage.COMPLETED || stage == ReferralStage.OTHER)
                        && clock != ReferralClock.REFERRAL_TO_TRIAGE) {
                    continue;
                }
                clocks.add(reading);
            }
        }
        String requester = sr.hasRequester() ? sr.getRequester().getReference() : null;
        String requesterName = sr.getRequester().hasDisplay() ? sr.getRequester().getDisplay()
                : requester == null ? null : names.computeIfAbsent(requester, this::nameOf);
        Extension source = sr.getExtensionByUrl(ReferralCodes.SOURCE);
        String sourceText = source != null && source.getValue() instanceof Coding c
                ? (c.hasDisplay() ? c.getDisplay() : c.getCode()) : null;
        String qr = sr.getSupportingInfo().stream().map(Reference::getReference)
                .map(r -> idPart(r, "QuestionnaireResponse")).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        String replaces = sr.getReplaces().stream().map(r -> idPart(r.getReference(), "ServiceRequest"))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        String reason = sr.getReasonCode().stream().map(ReferralRecords::display).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        return new Referral(id, serviceId, serviceName, patientId, patient == null ? patientId : patientName(patient),
                patient == null ? null : nhsNumber(patient), requester, requesterName,
                sr.hasPriority() ? sr.getPriority().toCode() : "routine",
                sr.hasStatus() ? sr.getStatus().toCode() : null, received, reason, sourceText, replaces, qr, stage,
                accepted, episodeId, firstContact, List.copyOf(decisions), List.copyOf(requests), List.copyOf(clocks),
                sr.getNote().stream().map(org.hl7.fhir.r4.model.Annotation::getText)
                        .filter(java.util.Objects::nonNull).toList());
    }

    private boolean applies(ReferralClock clock, ServiceRequest sr, String serviceId,
                            Map<ReferralClock, java.time.Duration> goals) {
        return switch (clock) {
            case REFERRAL_TO_TRIAGE, REFERRAL_TO_FIRST_CONTACT -> true;
            case URGENT_RESPONSE -> sr.getPriority() == ServiceRequest.ServiceRequestPriority.ASAP
                    || settings.urgentServices().contains(serviceId) || goals.containsKey(clock);
            case REABLEMENT -> settings.reablementServices().contains(serviceId) || goals.containsKey(clock);
        };
    }

    private static ReferralStage stage(ServiceRequest sr, List<TriageDecision> decisions) {
        if (!sr.hasStatus()) {
            return ReferralStage.OTHER;
        }
        return switch (sr.getStatus()) {
            case ONHOLD -> ReferralStage.ON_HOLD;
            case COMPLETED -> ReferralStage.COMPLETED;
            case REVOKED -> decisions.stream().anyMatch(d -> ReferralCodes.REDIRECTED.equals(d.outcome()))
                    ? ReferralStage.REDIRECTED : ReferralStage.REJECTED;
            case ACTIVE -> decisions.stream().anyMatch(d -> ReferralCodes.ACCEPTED.equals(d.outcome()))
                    ? ReferralStage.ACCEPTED : ReferralStage.AWAITING_TRIAGE;
            default -> ReferralStage.OTHER;
        };
    }

    /** An attended contact as a clock event; null for one not attended (planned, cancelled, not yet started). */
    static ClockEvent contact(Encounter e) {
        if (!(e.getStatus() == Encounter.EncounterStatus.FINISHED
                || e.getStatus() == Encounter.EncounterStatus.INPROGRESS) || !e.getPeriod().hasStart()) {
            return null;
        }
        String cls = e.getClass_().getCode();
        ClockEvent.Kind kind = "HH".equals(cls) || "AMB".equals(cls) ? ClockEvent.Kind.FACE_TO_FACE_CONTACT
                : "VR".equals(cls) ? ClockEvent.Kind.VIRTUAL_CONTACT : ClockEvent.Kind.OTHER_CONTACT;
        return new ClockEvent(e.getPeriod().getStart().toInstant(), kind);
    }

    /** The pathway's targets, by clock, from the goals of the PlanDefinition version the referral was made under. */
    private Map<ReferralClock, java.time.Duration> goals(String canonical) {
        int bar = canonical.indexOf('|');
        String url = bar < 0 ? canonical : canonical.substring(0, bar);
        List<PlanDefinition> found = bar < 0
                ? search("PlanDefinition", PlanDefinition.class, AccessScope.UNRESTRICTED, "url", url, "status", "active")
                : search("PlanDefinition", PlanDefinition.class, AccessScope.UNRESTRICTED, "url", url, "version",
                canonical.substring(bar + 1));
        Map<ReferralClock, java.time.Duration> goals = new EnumMap<>(ReferralClock.class);
        found.stream().findFirst().ifPresent(plan -> {
            for (var goal : plan.getGoal()) {
                for (var target : goal.getTarget()) {
                    ReferralClock clock = ReferralClock.ofCode(codeOf(target.getMeasure(), ReferralClock.SYSTEM));
                    java.time.Duration due = target.hasDue() && target.getDue() instanceof Duration d ? duration(d) : null;
                    if (clock != null && due != null) {
                        goals.putIfAbsent(clock, due);
                    }
                }
            }
        });
        return goals;
    }

    /** A FHIR Duration (UCUM units, or their common names) as a java.time Duration; null when not understood. */
    static java.time.Duration duration(Duration d) {
        if (!d.hasValue()) {
            return null;
        }
        String unit = (d.hasCode() ? d.getCode() : d.getUnit() == null ? "" : d.getUnit()).toLowerCase(Locale.ROOT);
        double value = d.getValue().doubleValue();
        long seconds = switch (unit) {
            case "s", "sec", "second", "seconds" -> Math.round(value);
            case "min", "minute", "minutes" -> Math.round(value * 60);
            case "h", "hr", "hour", "hours" -> Math.round(value * 3600);
            case "d", "day", "days" -> Math.round(value * 86_400);
            case "wk", "week", "weeks" -> Math.round(value * 7 * 86_400);
            default -> -1;
        };
        return seconds > 0 ? java.time.Duration.ofSeconds(seconds) : null;
    }

    static InformationRequest informationRequest(Task t) {
        String question = t.getInput().stream().map(i -> text(i.getValue())).filter(s -> s != null && !s.isBlank())
                .findFirst().orElse(t.getDescription());
        String answer = t.getOutput().stream().map(o -> text(o.getValue())).filter(s -> s != null && !s.isBlank())
                .findFirst().orElse(null);
        Instant answered = t.getStatus() == Task.TaskStatus.COMPLETED && t.hasLastModified()
                ? t.getLastModified().toInstant() : null;
        return new InformationRequest(t.getIdElement().getIdPart(), idPart(t.getFocus().getReference(), "ServiceRequest"),
                t.getOwner().getReference(), t.getRequester().getReference(),
                t.hasAuthoredOn() ? t.getAuthoredOn().toInstant() : null, question,
                t.hasStatus() ? t.getStatus().toCode() : null, answer, answered);
    }

    /** The clock start: the received extension, else (a referral stored before it was stamped) when authored. */
    static Instant received(ServiceRequest sr) {
        Extension ext = sr.getExtensionByUrl(ReferralCodes.RECEIVED);
        if (ext != null && ext.getValue() instanceof BaseDateTimeType dt && dt.getValue() != null) {
            return dt.getValue().toInstant();
        }
        if (sr.hasAuthoredOn()) {
            return sr.getAuthoredOn().toInstant();
        }
        return sr.getMeta().hasLastUpdated() ? sr.getMeta().getLastUpdated().toInstant() : Instant.EPOCH;
    }

    static String serviceOf(ServiceRequest sr) {
        return sr.getPerformer().stream().map(r -> idPart(r.getReference(), "HealthcareService"))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** The person's own reference and those of their PractitionerRoles: whoever they referred as. */
    Set<String> selves(String fhirUser) {
        Set<String> me = new LinkedHashSet<>();
        if (fhirUser == null) {
            return Set.of("Practitioner/-");
        }
        me.add(fhirUser);
        if (fhirUser.startsWith("Practitioner/")) {
            search("PractitionerRole", PractitionerRole.class, AccessScope.UNRESTRICTED, "practitioner", fhirUser)
                    .forEach(r -> me.add("PractitionerRole/" + r.getIdElement().getIdPart()));
        }
        return me;
    }

    /** The name of a person or organisation a reference points at; null when unknown. */
    String nameOf(String reference) {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        int slash = reference.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String type = reference.substring(0, slash);
        String id = reference.substring(slash + 1);
        return switch (type) {
            case "Practitioner" -> read(type, id, Practitioner.class, AccessScope.UNRESTRICTED)
                    .map(p -> p.getNameFirstRep().getNameAsSingleString()).orElse(null);
            case "PractitionerRole" -> read(type, id, PractitionerRole.class, AccessScope.UNRESTRICTED)
                    .map(r -> r.getPractitioner().hasDisplay() ? r.getPractitioner().getDisplay()
                            : nameOf(r.getPractitioner().getReference())).orElse(null);
            case "Organization" -> read(type, id, Organization.class, AccessScope.UNRESTRICTED)
                    .map(Organization::getName).orElse(null);
            default -> null;
        };
    }

    static String patientName(Patient p) {
        HumanName name = p.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .orElse(p.getNameFirstRep());
        String family = name.hasFamily() ? name.getFamily().toUpperCase(Locale.ROOT) : "";
        String given = name.getGiven().isEmpty() ? "" : name.getGiven().get(0).getValue();
        return family.isEmpty() ? given : given.isEmpty() ? family : family + ", " + given;
    }

    /**
     * The record's NHS number, spaced 3-3-4; on a provisional record, the number the person gave, said to be so
     * (it is kept there as stated, not as the record's identifier, until triage confirms who they are).
     */
    static String nhsNumber(Patient p) {
        for (Identifier i : p.getIdentifier()) {
            if (NhsNumber.SYSTEM.equals(i.getSystem()) && i.getValue() != null && i.getValue().length() == 10) {
                return spaced(i.getValue());
            }
        }
        return ProvisionalRecords.statedNhsNumber(p).filter(v -> v.length() == 10)
                .map(v -> spaced(v) + " (as given, not checked)").orElse(null);
    }

    private static String spaced(String v) {
        return v.substring(0, 3) + " " + v.substring(3, 6) + " " + v.substring(6);
    }

    static String codeOf(CodeableConcept concept, String system) {
        return concept.getCoding().stream().filter(c -> system.equals(c.getSystem())).map(Coding::getCode)
                .findFirst().orElse(null);
    }

    static String display(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode())
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    static String idPart(String reference, String type) {
        if (reference == null || !reference.startsWith(type + "/")) {
            return null;
        }
        String rest = reference.substring(type.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static List<List<String>> batches(List<String> all) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        return out;
    }

    // --- repository --------------------------------------------------------------------------------------------

    /** The version a resource is at now, for a form that changes it to carry; null when there is none. */
    Integer version(String type, String id) {
        try {
            StoredResource stored = repository.read(type, id);
            return stored == null || stored.deleted() ? null : stored.version();
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                return null;
            }
            throw e;
        }
    }

    <T extends Resource> Optional<T> read(String type, String id, Class<T> model, AccessScope scope) {
        try {
            StoredResource stored = repository.read(type, id, scope);
            return stored == null || stored.deleted() ? Optional.empty() : Optional.of(stored.parse(model));
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                return Optional.empty();
            }
            throw e;
        }
    }

    <T extends Resource> List<T> search(String type, Class<T> model, AccessScope scope, String... nameValues) {
        try {
            return repository.search(SearchRequest.of(type, nameValues), scope).matches().stream()
                    .filter(s -> !s.deleted()).map(s -> s.parse(model)).toList();
        } catch (FhirException e) {
            // A type the scope leaves out entirely reads as nothing, as it would for the API's search.
            if (e.status() == 403) {
                return List.of();
            }
            throw e;
        }
    }
}
