package org.charnwood.app.triage;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The triage decisions, each in one transaction: the decision is a completed triage Task focused on the
 * referral, and whatever follows from it (the EpisodeOfCare of an acceptance, the revoked original and its
 * replacement of a redirect, the question to the referrer and the referral on hold) is written with it or not
 * at all. Confirming who sent a self-referral is done the same way, and comes before accepting one. Each
 * first asks the access policy whether the person may triage for the referral's service and may
 * write those resources, as the FHIR API would. Decisions on one referral are serialised (a transaction-scoped
 * advisory lock) and the referral is re-read inside the transaction, so two people triaging the same referral
 * at once cannot both decide it.
 */
@Component
class TriageActions {

    /** Why an unverified self-referral cannot be accepted yet, and what to do. */
    static final String CONFIRM_IDENTITY_FIRST = "Confirm the person's identity before accepting: this is a "
            + "self-referral, so link it to the person's existing record or confirm them as a new patient";

    private final FhirRepository repository;
    private final AccessPolicy policy;
    private final ReferralRecords records;
    private final IdentityConfirmations identities;

    TriageActions(FhirRepository repository, AccessPolicy policy, ReferralRecords records,
                  IdentityConfirmations identities) {
        this.repository = repository;
        this.policy = policy;
        this.records = records;
        this.identities = identities;
    }

    /**
     * Confirms who sent a self-referral: links it (and its answers) to the person's existing record, the one its
     * details matched or another named by NHS number, or keeps the provisional record as a new patient's.
     * Returns the id of the Patient the referral is now on.
     */
    String confirmIdentity(Requester requester, String referralId, Integer version, IdentityChoice choice,
                           String nhsNumber) {
        ServiceRequest current = requireTriager(requester, referralId);
        if (!IdentityConfirmations.unverified(current)) {
            throw invalid("The person's identity has already been confirmed");
        }
        String provisionalId = ReferralRecords.idPart(current.getSubject().getReference(), "Patient");
        if (provisionalId == null) {
            throw invalid("The referral names no patient");
        }
        String targetId = identities.target(current, provisionalId, choice, nhsNumber);
        allowed(requester, FhirAction.UPDATE, "ServiceRequest", referralId, current);
        records.read("Patient", provisionalId, org.hl7.fhir.r4.model.Patient.class,
                org.charnwood.fhir.search.AccessScope.UNRESTRICTED)
                .ifPresent(p -> allowed(requester, FhirAction.UPDATE, "Patient", provisionalId, p));
        return decide(referralId, version, (session, sr) -> {
            if (!IdentityConfirmations.unverified(sr)
                    || !current.getSubject().getReference().equals(sr.getSubject().getReference())) {
                throw invalid("Someone has already confirmed the person's identity");
            }
            identities.confirm(session, sr, provisionalId, targetId, choice, requester);
            return targetId;
        });
    }

    /** Accepts the referral into its service: opens an EpisodeOfCare with the service's team. */
    String accept(Requester requester, String referralId, Integer version, String teamId, String note) {
        ServiceRequest current = requireTriager(requester, referralId);
        if (IdentityConfirmations.unverified(current)) {
            throw invalid(CONFIRM_IDENTITY_FIRST);
        }
        String serviceId = ReferralRecords.serviceOf(current);
        String team = teamFor(requester, serviceId, teamId);
        HealthcareService service = records.read("HealthcareService", serviceId, HealthcareService.class,
                org.charnwood.fhir.search.AccessScope.UNRESTRICTED).orElseThrow();
        Task decision = decision(requester, current, ReferralCodes.ACCEPTED, note);
        EpisodeOfCare episode = new EpisodeOfCare();
        episode.setStatus(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        episode.setPatient(current.getSubject().copy());
        if (service.hasProvidedBy()) {
            episode.setManagingOrganization(service.getProvidedBy().copy());
        }
        episode.addReferralRequest(new Reference("ServiceRequest/" + referralId));
        episode.addTeam(new Reference("CareTeam/" + team));
        episode.addType(new CodeableConcept().setText(service.getName()));
        allowed(requester, FhirAction.CREATE, "Task", null, decision);
        allowed(requester, FhirAction.CREATE, "EpisodeOfCare", null, episode);
        // Accepting decides the referral (and takes it off hold), so it is a change to it like any other decision.
        allowed(requester, FhirAction.UPDATE, "ServiceRequest", referralId, current);
        return decide(referralId, version, (session, sr) -> {
            if (IdentityConfirmations.unverified(sr)) {
                throw invalid(CONFIRM_IDENTITY_FIRST);
            }
            Date now = Date.from(session.now());
            decision.setAuthoredOn(now).setLastModified(now);
            episode.setPeriod(new Period().setStart(now));
            String episodeId = session.create(episode).id();
            decision.addOutput().setType(new CodeableConcept().setText("Episode of care"))
                    .setValue(new Reference("EpisodeOfCare/" + episodeId));
            session.create(decision);
            if (sr.getStatus() == ServiceRequest.ServiceRequestStatus.ONHOLD) {
                sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
                session.update("ServiceRequest", referralId, sr, null);
            }
            withdrawQuestions(session, referralId);
            return episodeId;
        });
    }

    /** Declines the referral with a coded reason: the referral is revoked. */
    void reject(Requester requester, String referralId, Integer version, RejectionReason reason, String note) {
        if (reason == null) {
            throw invalid("Choose why the referral is being rejected");
        }
        ServiceRequest current = requireTriager(requester, referralId);
        Task decision = decision(requester, current, ReferralCodes.REJECTED, note);
        decision.setStatusReason(new CodeableConcept(new Coding(RejectionReason.SYSTEM, reason.code(),
                reason.display())).setText(reason.display()));
        allowed(requester, FhirAction.CREATE, "Task", null, decision);
        allowed(requester, FhirAction.UPDATE, "ServiceRequest", referralId, current);
        decide(referralId, version, (session, sr) -> {
            stamp(session, decision);
            session.create(decision);
            sr.setStatus(ServiceRequest.ServiceRequestStatus.REVOKED);
            session.update("ServiceRequest", referralId, sr, null);
            withdrawQuestions(session, referralId);
            return null;
        });
    }

    /**
     * Sends the referral on to another service: the original is revoked and a new referral to the other service
     * replaces it, keeping its received time (the patient has been waiting since then), its priority, reason,
     * referrer and form. The pathway it was made under belongs to the first service, so it is not carried over.
     */
    String redirect(Requester requester, String referralId, Integer version, String targetServiceId, String note) {
        ServiceRequest current = requireTriager(requester, referralId);
        String from = ReferralRecords.serviceOf(current);
        if (targetServiceId == null || targetServiceId.isBlank() || targetServiceId.equals(from)
                || !records.serviceExists(targetServiceId)) {
            throw invalid("Choose another service to send the referral to");
        }
        String onwardId = WriteSession.newId();
        ServiceRequest onward = current.copy();
        onward.setId(onwardId);
        // A new resource, stamped afresh; but what the referral is labelled (restricted, a sealed category) goes
        // with it to the next service, or the redirect would open to anyone what the label kept to a few.
        org.hl7.fhir.r4.model.Meta kept = new org.hl7.fhir.r4.model.Meta();
        kept.setSecurity(new java.util.ArrayList<>(current.getMeta().getSecurity()));
        kept.setProfile(new java.util.ArrayList<>(current.getMeta().getProfile()));
        onward.setMeta(kept);
        if (IdentityConfirmations.unverified(current)) {
            // Nobody has confirmed who sent it yet: the next service's triagers must, before taking it on.
            onward.getMeta().addTag(ReferralCodes.IDENTITY_STATUS, ReferralCodes.UNVERIFIED,
                    "Identity given by the person, to be checked at triage");
        }
        onward.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        onward.getPerformer().clear();
        onward.addPerformer(new Reference(ReferralCodes.HEALTHCARE_SERVICE + targetServiceId)
                .setDisplay(records.serviceName(targetServiceId)));
        onward.getReplaces().clear();
        onward.addReplaces(new Reference("ServiceRequest/" + referralId));
        onward.getInstantiatesCanonical().clear();
        onward.getIdentifier().removeIf(i -> ReferralCodes.REFERRAL_ID.equals(i.getSystem()));
        onward.addIdentifier(new Identifier().setSystem(ReferralCodes.REFERRAL_ID).setValue(onwardId));
        Task decision = decision(requester, current, ReferralCodes.REDIRECTED, note);
        decision.addOutput().setType(new CodeableConcept().setText("Onward referral"))
                .setValue(new Reference("ServiceRequest/" + onwardId));
        allowed(requester, FhirAction.CREATE, "Task", null, decision);
        allowed(requester, FhirAction.UPDATE, "ServiceRequest", referralId, current);
        allowed(requester, FhirAction.CREATE, "ServiceRequest", null, onward);
        decide(referralId, version, (session, sr) -> {
            stamp(session, decision);
            session.create(onward, onwardId);
            session.create(decision);
            sr.setStatus(ServiceRequest.ServiceRequestStatus.REVOKED);
            session.update("ServiceRequest", referralId, sr, null);
            withdrawQuestions(session, referralId);
            return null;
        });
        return onwardId;
    }

    /** Asks the referrer a question: a Task addressed to them, the decision recorded, the referral on hold. */
    String requestInformation(Requester requester, String referralId, Integer version, String question) {
        if (question == null || question.isBlank()) {
            throw invalid("Enter the question for the referrer");
        }
        ServiceRequest current = requireTriager(requester, referralId);
        if (!current.hasRequester() || current.getRequester().getReference() == null) {
            throw invalid("The referral names no referrer to ask");
        }
        Task decision = decision(requester, current, ReferralCodes.INFORMATION_REQUESTED, question.strip());
        Task ask = new Task();
        ask.setStatus(Task.TaskStatus.REQUESTED);
        ask.setIntent(Task.TaskIntent.ORDER);
        ask.setCode(new CodeableConcept(new Coding(ReferralCodes.TASK_CODES, ReferralCodes.INFORMATION_REQUEST,
                "More information requested")));
        ask.setFocus(new Reference("ServiceRequest/" + referralId));
        ask.setFor(current.getSubject().copy());
        ask.setRequester(new Reference(requester.fhirUser()));
        ask.setOwner(current.getRequester().copy());
        ask.setDescription("More information about the referral");
        ask.addInput().setType(new CodeableConcept().setText("Question")).setValue(new StringType(question.strip()));
        allowed(requester, FhirAction.CREATE, "Task", null, decision);
        allowed(requester, FhirAction.CREATE, "Task", null, ask);
        allowed(requester, FhirAction.UPDATE, "ServiceRequest", referralId, current);
        return decide(referralId, version, (session, sr) -> {
            stamp(session, decision);
            stamp(session, ask);
            String askId = session.create(ask).id();
            decision.addOutput().setType(new CodeableConcept().setText("Information request"))
                    .setValue(new Reference("Task/" + askId));
            session.create(decision);
            sr.setStatus(ServiceRequest.ServiceRequestStatus.ONHOLD);
            session.update("ServiceRequest", referralId, sr, null);
            return askId;
        });
    }

    /**
     * The referrer answers a question put to them: the Task is completed with the answer, and the referral
     * goes back to the queue once no other question is outstanding.
     */
    void answer(Requester requester, String taskId, String answer) {
        if (answer == null || answer.isBlank()) {
            throw invalid("Enter your answer");
        }
        Task task = records.read("Task", taskId, Task.class, org.charnwood.fhir.search.AccessScope.UNRESTRICTED)
                .orElseThrow(() -> FhirException.notFound("Task", taskId));
        if (!ReferralCodes.INFORMATION_REQUEST.equals(ReferralRecords.codeOf(task.getCode(), ReferralCodes.TASK_CODES))
                || !records.selves(requester.fhirUser()).contains(task.getOwner().getReference())) {
            throw FhirException.of(403, ErrorCode.WRITE_NOT_PERMITTED, IssueType.FORBIDDEN,
                    "Only the referrer the question was sent to may answer it");
        }
        policy.read(requester, FhirAction.READ, "Task");
        String referralId = ReferralRecords.idPart(task.getFocus().getReference(), "ServiceRequest");
        repository.inTransaction(session -> {
            lock(session, referralId);
            Task now = session.current("Task", taskId).filter(s -> !s.deleted()).map(s -> s.parse(Task.class))
                    .orElseThrow(() -> FhirException.notFound("Task", taskId));
            if (!ReferralRecords.informationRequest(now).outstanding()) {
                throw FhirException.of(409, ErrorCode.INFORMATION_REQUEST_CLOSED, IssueType.CONFLICT,
                        "This question has already been answered or withdrawn");
            }
            now.setStatus(Task.TaskStatus.COMPLETED);
            now.setLastModified(Date.from(session.now()));
            now.addOutput().setType(new CodeableConcept().setText("Answer")).setValue(new StringType(answer.strip()));
            session.update("Task", taskId, now, null);
            if (referralId != null) {
                InformationAnswers.resume(session, referralId);
            }
            return null;
        });
    }

    // --- shared --------------------------------------------------------------------------------------------

    /**
     * The referral as it stands, after checking the person may triage for its service and may see it: a referral
     * hidden from them (a very restricted one, for a therapist of the service) is not found, exactly as its page
     * is, so nobody decides a referral they cannot read. Its service is read first only to ask the policy.
     */
    private ServiceRequest requireTriager(Requester requester, String referralId) {
        ServiceRequest bare = records.read("ServiceRequest", referralId, ServiceRequest.class,
                org.charnwood.fhir.search.AccessScope.UNRESTRICTED)
                .orElseThrow(() -> FhirException.notFound("ServiceRequest", referralId));
        String serviceId = ReferralRecords.serviceOf(bare);
        if (serviceId == null) {
            throw FhirException.of(422, ErrorCode.UNKNOWN_SERVICE, IssueType.BUSINESSRULE,
                    "The referral does not name the service it is for");
        }
        var scope = policy.triage(requester, serviceId).scope();
        return records.read("ServiceRequest", referralId, ServiceRequest.class, scope)
                .orElseThrow(() -> FhirException.notFound("ServiceRequest", referralId));
    }

    private interface Decision<T> {
        T apply(WriteSession session, ServiceRequest current) throws SQLException;
    }

    /**
     * Runs a decision in one transaction, on the referral as it stands once no one else is deciding it. The
     * decision is refused (409) when the referral is no longer at the version the triager's page showed (someone
     * else decided it, put a question, answered one or changed it over the API meanwhile), so a decision is
     * always made on what the triager saw; null leaves that check out.
     */
    private <T> T decide(String referralId, Integer version, Decision<T> work) {
        return repository.inTransaction(session -> {
            lock(session, referralId);
            StoredResource stored = session.current("ServiceRequest", referralId).filter(s -> !s.deleted())
                    .orElseThrow(() -> FhirException.notFound("ServiceRequest", referralId));
            ServiceRequest sr = stored.parse(ServiceRequest.class);
            boolean open = sr.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE
                    || sr.getStatus() == ServiceRequest.ServiceRequestStatus.ONHOLD;
            if (!open || hasTask(session, referralId, ReferralCodes.TRIAGE, ReferralCodes.ACCEPTED)) {
                throw FhirException.of(409, ErrorCode.REFERRAL_NOT_AWAITING_TRIAGE, IssueType.CONFLICT,
                        "The referral has already been decided");
            }
            if (version != null && version != stored.version()) {
                throw FhirException.of(409, ErrorCode.VERSION_CONFLICT, IssueType.CONFLICT,
                        "The referral has changed since the page was opened");
            }
            return work.apply(session, sr);
        });
    }

    private static Task decision(Requester requester, ServiceRequest sr, String outcome, String note) {
        Task task = new Task();
        task.setStatus(Task.TaskStatus.COMPLETED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(ReferralCodes.TASK_CODES, ReferralCodes.TRIAGE, "Triage")));
        task.setBusinessStatus(new CodeableConcept(new Coding(ReferralCodes.TASK_CODES, outcome, outcome)));
        task.setFocus(new Reference("ServiceRequest/" + sr.getIdElement().getIdPart()));
        task.setFor(sr.getSubject().copy());
        task.setRequester(new Reference(requester.fhirUser()));
        task.setOwner(new Reference(requester.fhirUser()));
        if (note != null && !note.isBlank()) {
            task.addNote().setText(note.strip());
        }
        return task;
    }

    private static void stamp(WriteSession session, Task task) {
        Date now = Date.from(session.now());
        task.setAuthoredOn(now).setLastModified(now);
    }

    /** A decision ends the wait for the referrer: questions still open are withdrawn. */
    private static void withdrawQuestions(WriteSession session, String referralId) throws SQLException {
        for (Task t : tasks(session, referralId, ReferralCodes.INFORMATION_REQUEST, null)) {
            if (ReferralRecords.informationRequest(t).outstanding()) {
                t.setStatus(Task.TaskStatus.CANCELLED);
                t.setLastModified(Date.from(session.now()));
                session.update("Task", t.getIdElement().getIdPart(), t, null);
            }
        }
    }

    static boolean hasTask(WriteSession session, String referralId, String code, String businessStatus)
            throws SQLException {
        return !tasks(session, referralId, code, businessStatus).isEmpty();
    }

    static List<Task> tasks(WriteSession session, String referralId, String code, String businessStatus)
            throws SQLException {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("focus", List.of("ServiceRequest/" + referralId));
        p.put("code", List.of(ReferralCodes.TASK_CODES + "|" + code));
        if (businessStatus != null) {
            p.put("business-status", List.of(ReferralCodes.TASK_CODES + "|" + businessStatus));
        }
        p.put("_count", List.of("1000"));
        List<Task> out = new ArrayList<>();
        for (StoredResource s : session.load(session.search(new SearchRequest("Task", p, false)).matches())) {
            if (!s.deleted()) {
                out.add(s.parse(Task.class));
            }
        }
        return out;
    }

    static void lock(WriteSession session, String referralId) throws SQLException {
        session.lock("referral|" + referralId);
    }

    /**
     * The service's team to take the patient on: the one chosen, else the triager's own team in the service,
     * else the first of the service's active CareTeams (those with a member whose PractitionerRole serves it).
     */
    private String teamFor(Requester requester, String serviceId, String chosen) {
        List<String> teams = teams(serviceId);
        if (teams.isEmpty()) {
            throw FhirException.of(422, ErrorCode.SERVICE_HAS_NO_TEAM, IssueType.BUSINESSRULE,
                    "The service has no active care team to take the referral on");
        }
        if (chosen != null && !chosen.isBlank()) {
            if (!teams.contains(chosen)) {
                throw invalid("Choose one of the service's teams");
            }
            return chosen;
        }
        Set<String> me = records.selves(requester.fhirUser());
        for (CareTeam team : careTeams(teams)) {
            if (team.getParticipant().stream().anyMatch(p -> me.contains(p.getMember().getReference()))) {
                return team.getIdElement().getIdPart();
            }
        }
        return teams.get(0);
    }

    /** Ids of the service's active CareTeams, in id order. */
    List<String> teams(String serviceId) {
        var any = org.charnwood.fhir.search.AccessScope.UNRESTRICTED;
        List<String> roles = records.search("PractitionerRole", PractitionerRole.class, any, "service",
                ReferralCodes.HEALTHCARE_SERVICE + serviceId, "_count", "1000").stream()
                .map(r -> "PractitionerRole/" + r.getIdElement().getIdPart()).toList();
        if (roles.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < roles.size(); i += 50) {
            records.search("CareTeam", CareTeam.class, any, "participant",
                    String.join(",", roles.subList(i, Math.min(roles.size(), i + 50))), "status", "active",
                    "_count", "1000").forEach(t -> {
                        if (!ids.contains(t.getIdElement().getIdPart())) {
                            ids.add(t.getIdElement().getIdPart());
                        }
                    });
        }
        ids.sort(String::compareTo);
        return ids;
    }

    private List<CareTeam> careTeams(List<String> ids) {
        return records.search("CareTeam", CareTeam.class, org.charnwood.fhir.search.AccessScope.UNRESTRICTED,
                "_id", String.join(",", ids));
    }

    private void allowed(Requester requester, FhirAction action, String type, String id, Resource content) {
        policy.write(requester, action, type, id, content);
    }

    static FhirException invalid(String message) {
        return FhirException.of(422, ErrorCode.TRIAGE_DECISION_INVALID, IssueType.INVALID, message);
    }
}
