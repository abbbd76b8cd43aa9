package org.charnwood.app.referrals;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.terminology.TerminologyServer;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

/**
 * Takes in a referral from any channel (staff page, FHIR {@code $refer}, self-referral form) the same way: finds
 * its pathway, checks the answers against the pathway's questionnaire and the patient against its criteria,
 * refuses a duplicate of an open referral, then stamps the received time and the referral's reference and
 * writes the ServiceRequest and its QuestionnaireResponse in one transaction. Every problem found is reported at
 * once; a refused referral writes nothing.
 */
@Component
class ReferralIntake {

    /** How a referral arrived: decides who may send it and its default source. */
    enum Channel { STAFF_PAGE, FHIR_API, SELF_REFERRAL }

    /**
     * A referral as sent.
     *
     * @param request   the ServiceRequest (a QuestionnaireResponse may be contained in it)
     * @param answers   the QuestionnaireResponse when sent beside it; null when contained or missing
     * @param newPerson for a self-referral: the person as they described themselves, stored as a provisional
     *                  Patient with the referral (matched to a record or not: nobody has checked who sent it);
     *                  null otherwise
     * @param described for a self-referral: the person as they described themselves, matched to a record or not;
     *                  the only facts a refusal may speak of, since the sender is not signed in; null otherwise
     * @param possibleMatch for a self-referral: the record the details match, for triage to confirm; null when
     *                  none matches and for every other channel
     */
    record Submission(ServiceRequest request, QuestionnaireResponse answers, Channel channel, Requester requester,
                      Patient newPerson, Patient described, Patient possibleMatch) {

        /** A referral from staff or a system, about a patient already known. */
        Submission(ServiceRequest request, QuestionnaireResponse answers, Channel channel, Requester requester) {
            this(request, answers, channel, requester, null, null, null);
        }
    }

    /** A referral taken in: its id, the reference people quote, and what was stored. */
    record Received(String id, String reference, ServiceRequest request, QuestionnaireResponse answers,
                    Pathway pathway) {
    }

    private static final String REFERENCE_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FhirRepository repository;
    private final Pathways pathways;
    private final TerminologyServer terminology;
    private final AccessPolicy policy;
    private final Clock clock;

    ReferralIntake(FhirRepository repository, Pathways pathways, TerminologyServer terminology, AccessPolicy policy,
                   Clock clock) {
        this.repository = repository;
        this.pathways = pathways;
        this.terminology = terminology;
        this.policy = policy;
        this.clock = clock;
    }

    Received receive(Submission submission) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        ServiceRequest request = submission.request().copy();
        QuestionnaireResponse answers = submission.answers() == null ? contained(request) : submission.answers().copy();
        // What the sender may see of the record; a self-referrer, who is not signed in, sees nothing of it (null).
        AccessScope callerSees = null;
        // What of the record the reply to the sender may speak of.
        AccessScope seen = AccessScope.UNRESTRICTED;
        if (submission.channel() != Channel.SELF_REFERRAL) {
            // Whether this caller may refer this patient is settled before the record is looked at: the criteria
            // and duplicate checks below speak of the record, and a caller without access must learn nothing from
            // it (not even whether the patient is known here).
            ServiceRequest asWritten = request.copy();
            asWritten.setStatus(ServiceRequestStatus.ACTIVE);
            var access = policy.write(submission.requester(), FhirAction.CREATE, "ServiceRequest", null, asWritten);
            callerSees = access.scope();
            // A referral is administration anyone at the desk may write, but the answer speaks of the clinical
            // record: only those who may read the patient's record hear it.
            String reference = request.getSubject().getReference();
            String about = reference != null && reference.startsWith("Patient/") ? reference.substring(8) : null;
            if (about != null && access.scope().patients() != null && !access.scope().patients().contains(about)) {
                throw FhirException.of(403, ErrorCode.NO_LEGITIMATE_RELATIONSHIP, IssueType.FORBIDDEN,
                        "You have no legitimate relationship with this patient: a referral is checked against their "
                                + "record, so it is made by those caring for them or by the referrer's system");
            }
            seen = access.scope();
        }
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        Pathway pathway = pathway(request);
        if (submission.channel() == Channel.SELF_REFERRAL && !pathway.selfReferral()) {
            throw FhirException.of(422, ErrorCode.SELF_REFERRAL_NOT_ALLOWED, IssueType.BUSINESSRULE,
                    pathway.title() + " does not take self-referrals: ask your GP or another professional to refer you");
        }
        if (request.hasPerformer() && !pathway.service().equals(request.getPerformerFirstRep().getReference())) {
            issues.add(invalid("The referral is to " + request.getPerformerFirstRep().getReference() + " but its pathway "
                    + pathway.canonical() + " is for " + pathway.service(), "ServiceRequest.performer[0]"));
        }
        Patient patient = submission.newPerson();
        if (patient == null) {
            patient = subject(request, issues);
        }
        if (request.hasStatus() && request.getStatus() != ServiceRequestStatus.ACTIVE
                && request.getStatus() != ServiceRequestStatus.DRAFT) {
            issues.add(invalid("A new referral's status is active (received, awaiting triage)", "ServiceRequest.status"));
        }
        if (request.hasIntent() && request.getIntent() != ServiceRequestIntent.ORDER) {
            issues.add(invalid("A referral's intent is order", "ServiceRequest.intent"));
        }
        if (request.hasPriority() && !pathway.priorities().contains(request.getPriority().toCode())) {
            issues.add(invalid(pathway.title() + " takes " + String.join(", ", pathway.priorities())
                    + " referrals, not " + request.getPriority().toCode(), "ServiceRequest.priority"));
        }
        if (answers == null) {
            issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.REFERRAL_INFORMATION_MISSING,
                    IssueType.REQUIRED, "The referral has no answers to the pathway's questionnaire ("
                            + pathway.questionnaireCanonical() + "): send a QuestionnaireResponse with it",
                    "ServiceRequest.supportingInfo"));
        } else {
            if (answers.hasQuestionnaire() && !answers.getQuestionnaire().equals(pathway.questionnaireCanonical())
                    && !answers.getQuestionnaire().equals(pathway.questionnaire().getUrl())) {
                issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.REFERRAL_INFORMATION_MISSING,
                        IssueType.INVALID, "The answers are to " + answers.getQuestionnaire() + " but the pathway asks "
                                + pathway.questionnaireCanonical(), "QuestionnaireResponse.questionnaire"));
            }
            for (QuestionnaireAnswers.Problem problem : QuestionnaireAnswers.problems(pathway.questionnaire(), answers, today)) {
                issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.REFERRAL_INFORMATION_MISSING,
                        IssueType.REQUIRED, problem.message(), QuestionnaireAnswers.expression(problem.linkId())));
            }
        }
        List<String> toCheck = new ArrayList<>();
        if (submission.channel() == Channel.SELF_REFERRAL) {
            // The self-referrer is told only about what they typed; a record they were matched to is checked
            // for the trust's eyes alone, and what it turns up goes to triage with the referral.
            PatientFacts described = facts(submission.described(), true, request, today, AccessScope.UNRESTRICTED);
            criteriaIssues(pathway, described, described, submission.channel(), issues);
            Patient match = submission.possibleMatch();
            if (match != null && !ProvisionalRecords.unverified(match)) {
                toCheck.add(matchNote(match));
                if (!recordFits(pathway, facts(match, false, request, today, AccessScope.UNRESTRICTED))) {
                    toCheck.add(RECORD_CRITERIA_NOTE);
                }
            } else if (match != null) {
                toCheck.add(EARLIER_SELF_REFERRAL_NOTE);
            }
        } else if (patient != null) {
            PatientFacts record = facts(patient, false, request, today, AccessScope.UNRESTRICTED);
            PatientFacts theirs = seen.unrestricted() ? record : facts(patient, false, request, today, seen);
            if (criteriaIssues(pathway, record, theirs, submission.channel(), issues)) {
                toCheck.add(HIDDEN_CRITERIA_NOTE);
            }
        }
        if (issues.stream().anyMatch(i -> i.getSeverity() == IssueSeverity.ERROR)) {
            throw FhirException.unprocessable(issues);
        }
        Patient subject = patient;
        AccessScope sees = callerSees;
        return repository.inTransaction(session -> store(session, submission, sees, request, answers, pathway,
                subject, toCheck, now));
    }

    /**
     * What triage reads on a self-referral whose matched record does not meet the pathway's criteria. Which rule
     * it failed is left out on purpose: the rule can name what the record holds (a diagnosis some of the staff who
     * read referrals may not see), and whoever triages checks the record under their own access.
     */
    static final String RECORD_CRITERIA_NOTE = "To check at triage: the record this self-referral was matched to does "
            + "not meet every criterion of the pathway (the person was not told). Check the record before accepting.";

    /**
     * What triage reads on a referral that may duplicate an open one the sender may not see. The open referral is
     * not named: the sender can read the referral they made, and its reference would tell them one exists.
     * Whoever triages finds it under their own access.
     */
    static final String HIDDEN_DUPLICATE_NOTE = "To check at triage: possibly a duplicate of an open referral to this "
            + "service for the same record (the referrer was not told). Check the patient's referrals before accepting.";

    /**
     * What triage reads on a referral that fails a pathway's rule only on entries of the record its sender may not
     * see (a sealed or restricted diagnosis). The sender is told nothing of it, and the note names neither the rule
     * nor the entry, for the same reason as {@link #RECORD_CRITERIA_NOTE}: whoever triages checks the record under
     * their own access.
     */
    static final String HIDDEN_CRITERIA_NOTE = "To check at triage: on entries of the record its sender may not see, "
            + "the patient does not meet every criterion of the pathway (the sender was not told). Check the record "
            + "before accepting.";

    /**
     * What triage reads on a self-referral whose details match the details of an earlier self-referral that is
     * still waiting for triage to confirm the person's identity (a second provisional record is made for it).
     */
    static final String EARLIER_SELF_REFERRAL_NOTE = "To check at triage: the details given match those of an "
            + "earlier self-referral whose identity has not been confirmed yet.";

    /**
     * What triage reads on a self-referral whose details match an existing record. Staff may find any patient by
     * their demographics, so the note names the record; the referral stays on the provisional record until a
     * triager confirms who sent it, so the match opens nothing to the service.
     */
    static String matchNote(Patient match) {
        String nhs = match.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())
                && i.hasValue()).map(Identifier::getValue).findFirst().orElse(null);
        return "To check at triage: the details given match an existing record ("
                + (nhs == null ? "no NHS number" : "NHS number " + nhs) + ", Patient/"
                + match.getIdElement().getIdPart() + "). Confirm the person's identity before accepting: link the "
                + "referral to that record, or to another, or confirm the person as new.";
    }

    /**
     * @param callerSees what the sender may see of the record; null for a self-referral, whose sender is told
     *                   nothing of it
     */
    private Received store(WriteSession session, Submission submission, AccessScope callerSees,
                           ServiceRequest request, QuestionnaireResponse answers, Pathway pathway, Patient patient,
                           List<String> toCheck, Instant now)
            throws SQLException {
        String subject;
        if (submission.newPerson() != null) {
            String patientId = WriteSession.newId();
            session.create(patient, patientId);
            subject = "Patient/" + patientId;
        } else {
            subject = "Patient/" + patient.getIdElement().getIdPart();
        }
        // A self-referral is checked for a duplicate on the record its details match, if any, though it is
        // stored on its own provisional record until triage confirms who sent it.
        String duplicateOf = submission.possibleMatch() == null ? subject
                : "Patient/" + submission.possibleMatch().getIdElement().getIdPart();
        // Two referrals for the same patient and service arriving together must not both pass the check.
        Pathways.lock(session, "referral:" + duplicateOf + "|" + pathway.service());
        List<StoredResource> openOnes = openReferrals(session, duplicateOf, pathway.service());
        List<String> notes = new ArrayList<>(toCheck);
        // A staff or system sender hears of an open referral only when they may see it; one hidden from them
        // (labelled very restricted, say) is treated as a self-referral's is, and named to nobody.
        Optional<ServiceRequest> open = openOnes.stream()
                .filter(s -> callerSees == null || repository.visible(s.pk(), callerSees))
                .map(s -> s.parse(ServiceRequest.class)).findFirst();
        if (open.isEmpty() && !openOnes.isEmpty()) {
            notes.add(HIDDEN_DUPLICATE_NOTE);
        }
        if (open.isPresent()) {
            String reference = open.get().getIdentifier().stream()
                    .filter(i -> ReferralCodes.REFERRAL_IDENTIFIER.equals(i.getSystem())).map(Identifier::getValue)
                    .findFirst().orElse("ServiceRequest/" + open.get().getIdElement().getIdPart());
            if (submission.channel() == Channel.SELF_REFERRAL) {
                // Refusing would tell whoever typed these details that the person has an open referral here:
                // the referral is taken, and triage joins it to the open one. A labelled one is not named, since the
                // note is read by staff who may not see it; triage finds it under their own access.
                notes.add(open.get().getMeta().hasSecurity() ? HIDDEN_DUPLICATE_NOTE
                        : "To check at triage: possibly a duplicate of the open referral " + reference + " ("
                                + open.get().getStatus().toCode() + ") to this service for the same record.");
            } else {
                throw FhirException.of(409, ErrorCode.REFERRAL_DUPLICATE, IssueType.DUPLICATE,
                        "There is already an open referral to " + pathway.title() + " for this person (reference "
                                + reference + ", " + open.get().getStatus().toCode() + "): add to that referral instead",
                        "ServiceRequest.subject");
            }
        }
        String requestId = WriteSession.newId();
        String answersId = WriteSession.newId();
        String reference = newReference();
        stamp(request, submission, pathway, subject, answersId, reference, now);
        if (submission.possibleMatch() != null && !ProvisionalRecords.unverified(submission.possibleMatch())) {
            request.addExtension(ReferralCodes.POSSIBLE_IDENTITY_MATCH, new Reference("Patient/"
                    + submission.possibleMatch().getIdElement().getIdPart()));
        }
        for (String note : notes) {
            request.addNote().setText(note).setTimeElement(new DateTimeType(Date.from(now)));
        }
        answers.setId((String) null);
        answers.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.setQuestionnaire(pathway.questionnaireCanonical());
        answers.setSubject(new Reference(subject));
        answers.getBasedOn().clear();
        answers.addBasedOn(new Reference("ServiceRequest/" + requestId));
        if (!answers.hasAuthored()) {
            answers.setAuthored(Date.from(now));
        }
        if (!answers.hasAuthor() && request.hasRequester()) {
            answers.setAuthor(request.getRequester().copy());
        }
        session.create(answers, answersId);
        session.create(request, requestId);
        return new Received(requestId, reference, request, answers, pathway);
    }

    private void stamp(ServiceRequest request, Submission submission, Pathway pathway, String subject,
                       String answersId, String reference, Instant now) {
        request.setId((String) null);
        request.getContained().removeIf(r -> r instanceof QuestionnaireResponse);
        request.setStatus(ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequestIntent.ORDER);
        if (!request.hasPriority()) {
            request.setPriority(ServiceRequestPriority.fromCode(pathway.priorities().get(0)));
        }
        if (request.getCategory().stream().noneMatch(c -> c.hasCoding(ReferralCodes.SNOMED, ReferralCodes.PATIENT_REFERRAL))) {
            request.addCategory(new CodeableConcept(new Coding(ReferralCodes.SNOMED, ReferralCodes.PATIENT_REFERRAL,
                    "Patient referral")));
        }
        request.setSubject(new Reference(subject));
        request.getPerformer().clear();
        request.addPerformer(new Reference(pathway.service()).setDisplay(pathway.title()));
        request.getInstantiatesCanonical().clear();
        request.addInstantiatesCanonical(pathway.canonical());
        if (!request.hasAuthoredOn()) {
            request.setAuthoredOn(Date.from(now));
        }
        Requester requester = submission.requester();
        if (submission.channel() == Channel.SELF_REFERRAL) {
            request.setRequester(new Reference(subject));
            request.getMeta().addTag(ReferralCodes.IDENTITY_STATUS, ProvisionalRecords.UNVERIFIED,
                    "Identity given by the person, to be checked at triage");
        } else if (!request.hasRequester() && requester != null && requester.fhirUser() != null) {
            request.setRequester(new Reference(requester.fhirUser()));
        }
        request.getSupportingInfo().removeIf(r -> r.getReference() == null || r.getReference().startsWith("#")
                || r.getReference().startsWith("QuestionnaireResponse/") || r.getReference().startsWith("urn:"));
        request.addSupportingInfo(new Reference("QuestionnaireResponse/" + answersId));
        request.getIdentifier().removeIf(i -> ReferralCodes.REFERRAL_IDENTIFIER.equals(i.getSystem()));
        request.addIdentifier().setSystem(ReferralCodes.REFERRAL_IDENTIFIER).setValue(reference);
        // The clock starts when we received it, whatever the sender said.
        request.getExtension().removeIf(e -> ReferralCodes.REFERRAL_RECEIVED.equals(e.getUrl()));
        DateTimeType received = new DateTimeType(Date.from(now), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
                TimeZone.getTimeZone("UTC"));
        request.addExtension(ReferralCodes.REFERRAL_RECEIVED, received);
        if (request.getExtensionByUrl(ReferralCodes.REFERRAL_SOURCE) == null) {
            String source = switch (submission.channel()) {
                case SELF_REFERRAL -> "self";
                case STAFF_PAGE -> "internal";
                case FHIR_API -> null;
            };
            if (source != null) {
                request.addExtension(ReferralCodes.REFERRAL_SOURCE, new Coding(ReferralCodes.REFERRAL_SOURCE_SYSTEM,
                        source, ReferralSources.display(source)));
            }
        }
    }

    /** The pathway a referral is made under: the version it names, or the current one of its service. */
    private Pathway pathway(ServiceRequest request) {
        if (request.hasInstantiatesCanonical()) {
            String canonical = request.getInstantiatesCanonical().get(0).getValue();
            String[] parts = canonical.split("\\|", 2);
            if (!parts[0].startsWith(ReferralCodes.PATHWAY_URL_PREFIX)) {
                throw FhirException.unprocessable(ErrorCode.PATHWAY_NOT_FOUND, "instantiatesCanonical names "
                        + canonical + ", which is not one of the trust's referral pathways", "ServiceRequest.instantiatesCanonical[0]");
            }
            Pathway current = pathways.current(PathwayDefinitions.slugOf(parts[0])).orElseThrow(() ->
                    FhirException.unprocessable(ErrorCode.PATHWAY_NOT_FOUND, "There is no active pathway " + parts[0],
                            "ServiceRequest.instantiatesCanonical[0]"));
            if (parts.length == 2 && !parts[1].equals(current.version())) {
                throw FhirException.unprocessable(ErrorCode.PATHWAY_VERSION_RETIRED, "Version " + parts[1]
                        + " of the pathway is retired; referrals are made under version " + current.version()
                        + " (" + current.canonical() + ")", "ServiceRequest.instantiatesCanonical[0]");
            }
            return current;
        }
        if (request.hasPerformer() && request.getPerformerFirstRep().hasReference()) {
            String service = request.getPerformerFirstRep().getReference();
            return pathways.forService(service).orElseThrow(() -> FhirException.unprocessable(
                    ErrorCode.PATHWAY_NOT_FOUND, service + " takes no referrals through a pathway here",
                    "ServiceRequest.performer[0]"));
        }
        throw FhirException.unprocessable(ErrorCode.REFERRAL_INVALID, "Name the service referred to: performer[0] = "
                + "HealthcareService/<slug>, or instantiatesCanonical = the pathway", "ServiceRequest.performer");
    }

    private Patient subject(ServiceRequest request, List<OperationOutcomeIssueComponent> issues) {
        String reference = request.getSubject().getReference();
        if (reference == null || !reference.matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
            issues.add(invalid("The referral's subject is the patient: Patient/<id>", "ServiceRequest.subject"));
            return null;
        }
        try {
            return repository.read("Patient", reference.substring("Patient/".length())).parse(Patient.class);
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                issues.add(invalid(reference + " is not known here", "ServiceRequest.subject"));
                return null;
            }
            throw e;
        }
    }

    private static QuestionnaireResponse contained(ServiceRequest request) {
        return request.getContained().stream().filter(r -> r instanceof QuestionnaireResponse)
                .map(r -> (QuestionnaireResponse) r.copy()).findFirst().orElse(null);
    }

    /** Whether the patient's record meets every rule that could be checked on it (for triage, not the sender). */
    private boolean recordFits(Pathway pathway, PatientFacts record) {
        var graph = terminology.current() == null ? null : terminology.current().snomed();
        return PathwayCriteria.failures(pathway, record, graph).stream().allMatch(PathwayCriteria.Failure::unchecked);
    }

    /**
     * Whether a refusal may speak of the failure. A self-referrer is told only of the rules checked on what they
     * typed (age and postcode); their practice and coded record are checked at triage, with their identity.
     */
    private static boolean told(PathwayCriteria.Failure failure, Channel channel) {
        return channel != Channel.SELF_REFERRAL || !failure.unchecked()
                && (failure.rule().test() instanceof PathwayRule.AgeRange
                || failure.rule().test() instanceof PathwayRule.PostcodeArea);
    }

    /**
     * Rule failures as issues, and for each a better-fitting service when there is one. The rules are decided on
     * the whole record, but the sender hears only of rules that fail on what they may see of it too, in words
     * made from that ({@code seen}), and better services are found from it: a rule that fails only on entries
     * hidden from them (an exclusion by a sealed diagnosis) would name what is hidden, so it is left to triage.
     *
     * @param record the facts of the whole record
     * @param seen   the facts of what the sender may see of it (the same object when they may see it all)
     * @return whether a rule failed only on entries hidden from the sender
     */
    private boolean criteriaIssues(Pathway pathway, PatientFacts record, PatientFacts seen, Channel channel,
                                   List<OperationOutcomeIssueComponent> issues) {
        var graph = terminology.current() == null ? null : terminology.current().snomed();
        List<PathwayCriteria.Failure> onRecord = PathwayCriteria.failures(pathway, record, graph);
        List<PathwayCriteria.Failure> onSeen = record == seen ? onRecord
                : PathwayCriteria.failures(pathway, seen, graph);
        Set<PathwayRule> failedOnSeen = onSeen.stream().map(PathwayCriteria.Failure::rule)
                .collect(java.util.stream.Collectors.toSet());
        Set<PathwayRule> failedOnRecord = onRecord.stream().map(PathwayCriteria.Failure::rule)
                .collect(java.util.stream.Collectors.toSet());
        boolean hidden = !failedOnSeen.containsAll(failedOnRecord);
        // A rule that holds on the whole record but not on what the sender sees (a criterion met by an entry hidden
        // from them) is met: the sender is not told it failed.
        List<PathwayCriteria.Failure> failures = onSeen.stream()
                .filter(f -> failedOnRecord.contains(f.rule()))
                .filter(f -> told(f, channel)).toList();
        if (failures.isEmpty()) {
            return hidden;
        }
        for (PathwayCriteria.Failure failure : failures) {
            // The expression names what the rule looked at, so a form can put the message beside that field.
            String expression = switch (failure.rule().test()) {
                case PathwayRule.AgeRange ignored -> "Patient.birthDate";
                case PathwayRule.PostcodeArea ignored -> "Patient.address.postalCode";
                case PathwayRule.RegisteredPractice ignored -> "Patient.generalPractitioner";
                case PathwayRule.Ecl ignored -> "ServiceRequest.reasonCode";
            };
            issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.REFERRAL_CRITERIA_NOT_MET,
                    IssueType.BUSINESSRULE, pathway.title() + " — " + failure.message(), expression));
        }
        Set<String> advised = new HashSet<>();
        for (PathwayCriteria.Failure failure : failures) {
            if (failure.rule().redirect() == null) {
                continue;
            }
            pathways.current(PathwayDefinitions.slugOf(failure.rule().redirect()))
                    .filter(other -> fits(other, seen, graph, channel))
                    .filter(other -> advised.add(other.service()))
                    .ifPresent(other -> issues.add(advice(other, "it takes the referrals this one does not ("
                            + failure.rule().description().toLowerCase(java.util.Locale.ROOT) + ")")));
        }
        if (advised.isEmpty()) {
            for (Pathway other : pathways.current()) {
                if (other.service().equals(pathway.service()) || advised.contains(other.service())) {
                    continue;
                }
                Optional<PathwayRule> ecl = other.rules().stream().filter(r -> r.kind() == PathwayRule.Kind.ACCEPT
                        && r.test() instanceof PathwayRule.Ecl).findFirst();
                if (ecl.isPresent() && fits(other, seen, graph, channel)) {
                    advised.add(other.service());
                    issues.add(advice(other, "the patient meets its criteria: " + ecl.get().description()));
                }
            }
        }
        return hidden;
    }

    private static boolean fits(Pathway pathway, PatientFacts facts, org.charnwood.terminology.ConceptGraph graph,
                                Channel channel) {
        // Another service is only offered when it fits on the facts at hand: a rule left to triage is not a fit.
        return PathwayCriteria.failures(pathway, facts, graph).stream()
                .noneMatch(f -> channel != Channel.SELF_REFERRAL || !f.unchecked());
    }

    private static OperationOutcomeIssueComponent advice(Pathway other, String why) {
        return FhirException.issue(IssueSeverity.INFORMATION, ErrorCode.REFERRAL_BETTER_SERVICE,
                IssueType.INFORMATIONAL, "Refer to " + other.title() + " (" + other.service() + ", pathway "
                        + other.canonical() + ") instead: " + why, "ServiceRequest.performer[0]");
    }

    /**
     * What the rules look at, from the patient and their record as the scope sees it: the whole record (the
     * rules need every fact), or what the sender may see of it (what a reply to them may speak of).
     */
    PatientFacts facts(Patient patient, boolean newPerson, ServiceRequest request, LocalDate today, AccessScope scope) {
        LocalDate birthDate = patient.hasBirthDateElement() && patient.getBirthDateElement().getValueAsString() != null
                && patient.getBirthDateElement().getValueAsString().length() == 10
                ? LocalDate.parse(patient.getBirthDateElement().getValueAsString()) : null;
        String postcode = patient.getAddress().stream()
                .filter(a -> a.hasPostalCode() && (!a.hasUse() || a.getUse() == Address.AddressUse.HOME))
                .filter(a -> !a.hasPeriod() || !a.getPeriod().hasEnd())
                .map(Address::getPostalCode).findFirst().orElse(null);
        Set<String> practices = new HashSet<>();
        for (Reference gp : patient.getGeneralPractitioner()) {
            if (gp.hasIdentifier() && gp.getIdentifier().hasValue()) {
                practices.add(gp.getIdentifier().getValue());
            }
            if (gp.getReference() != null && gp.getReference().startsWith("Organization/")) {
                try {
                    Organization org = repository.read("Organization", gp.getReference().substring(13))
                            .parse(Organization.class);
                    org.getIdentifier().stream().filter(i -> "https://fhir.nhs.uk/Id/ods-organization-code"
                            .equals(i.getSystem())).forEach(i -> practices.add(i.getValue()));
                } catch (FhirException e) {
                    // a practice we do not hold: the rule will say the practice is not known
                }
            }
        }
        Set<Long> codes = new HashSet<>();
        request.getReasonCode().forEach(c -> snomed(c, codes));
        if (!newPerson) {
            String subject = "Patient/" + patient.getIdElement().getIdPart();
            Map<String, Class<? extends Resource>> types = new LinkedHashMap<>();
            types.put("Condition", org.hl7.fhir.r4.model.Condition.class);
            types.put("Observation", org.hl7.fhir.r4.model.Observation.class);
            types.put("Procedure", org.hl7.fhir.r4.model.Procedure.class);
            for (var type : types.entrySet()) {
                for (StoredResource stored : everyMatch(type.getKey(), scope, "patient", subject)) {
                    Resource r = stored.parse(type.getValue());
                    switch (r) {
                        case org.hl7.fhir.r4.model.Condition c -> {
                            if (!c.hasVerificationStatus() || !(c.getVerificationStatus().hasCoding(
                                    "http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted")
                                    || c.getVerificationStatus().hasCoding(
                                    "http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error"))) {
                                snomed(c.getCode(), codes);
                            }
                        }
                        case org.hl7.fhir.r4.model.Observation o -> {
                            snomed(o.getCode(), codes);
                            if (o.hasValueCodeableConcept()) {
                                snomed(o.getValueCodeableConcept(), codes);
                            }
                        }
                        case org.hl7.fhir.r4.model.Procedure p -> snomed(p.getCode(), codes);
                        default -> {
                        }
                    }
                }
            }
        }
        return new PatientFacts(birthDate, postcode, practices, codes, today);
    }

    private static void snomed(CodeableConcept concept, Set<Long> into) {
        for (Coding coding : concept.getCoding()) {
            if (ReferralCodes.SNOMED.equals(coding.getSystem()) && coding.getCode() != null
                    && coding.getCode().matches("[0-9]{6,18}")) {
                into.add(Long.parseLong(coding.getCode()));
            }
        }
    }

    private static List<StoredResource> openReferrals(WriteSession session, String subject, String service)
            throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("subject", List.of(subject));
        parameters.put("performer", List.of(service));
        parameters.put("status", List.of("active,on-hold"));
        var outcome = session.search(new SearchRequest("ServiceRequest", parameters, false));
        return session.load(outcome.matches()).stream().filter(s -> !s.deleted()).toList();
    }

    /**
     * Every match, page by page: the rules must see the whole record, not its first thousand resources (a patient
     * with years of observations has more, and key order would have left out the newest).
     */
    private List<StoredResource> everyMatch(String type, AccessScope scope, String... nameValues) {
        SearchRequest request = SearchRequest.of(type, nameValues);
        request.parameters().put("_count", List.of(String.valueOf(PAGE)));
        request.parameters().put("_total", List.of("none"));
        return repository.everyMatch(request, scope).stream().filter(s -> !s.deleted()).toList();
    }

    private static final int PAGE = 1000;

    /** A reference people can read out and type: CHW-, then eight characters without look-alikes (no I, L, O, U). */
    static String newReference() {
        StringBuilder b = new StringBuilder("CHW-");
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                b.append('-');
            }
            b.append(REFERENCE_LETTERS.charAt(RANDOM.nextInt(REFERENCE_LETTERS.length())));
        }
        return b.toString();
    }

    private static OperationOutcomeIssueComponent invalid(String message, String expression) {
        return FhirException.issue(IssueSeverity.ERROR, ErrorCode.REFERRAL_INVALID, IssueType.INVALID, message, expression);
    }
}
