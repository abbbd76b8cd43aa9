package org.charnwood.app.triage;

import org.charnwood.app.security.IdentityConfirmationReview;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.security.Requester;
import ca.uhn.fhir.util.FhirTerser;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Confirming who sent a self-referral. Until then the referral and its answers sit on a provisional Patient made
 * from the details given, and nobody in the service has a relationship with any existing record through it.
 * Linking, only to a record with the same date of birth and surname as the details given, moves the referral,
 * its answers and its Tasks to the existing record and marks the provisional one inactive and replaced by it;
 * confirming the person as new keeps the provisional record as theirs, and the NHS number the person gave becomes
 * its national identifier, marked not traced against PDS. Either way the referral loses its unverified tag. A link
 * to an existing record gives the service a relationship with it on the triager's judgement, so it goes on
 * information governance's review list ({@link IdentityConfirmationReviews}) in the same transaction.
 */
@Component
class IdentityConfirmations {

    private final ReferralRecords records;
    private final IdentityConfirmationReviews reviews;

    IdentityConfirmations(ReferralRecords records, IdentityConfirmationReviews reviews) {
        this.records = records;
        this.reviews = reviews;
    }

    static boolean unverified(Resource resource) {
        return ProvisionalRecords.unverified(resource);
    }

    /** The existing record the referral's details matched when it came in, if it is still a confirmed one. */
    Optional<Patient> possibleMatch(ServiceRequest referral) {
        Extension match = referral.getExtensionByUrl(ReferralCodes.POSSIBLE_IDENTITY_MATCH);
        if (match == null || !(match.getValue() instanceof Reference ref)) {
            return Optional.empty();
        }
        String id = ReferralRecords.idPart(ref.getReference(), "Patient");
        return id == null ? Optional.empty() : records.read("Patient", id, Patient.class, AccessScope.UNRESTRICTED)
                .filter(ProvisionalRecords::confirmedAndActive);
    }

    /**
     * The id of the Patient the referral is to be on, for the choice made; refused (as the triager's mistake)
     * when there is no such record.
     */
    String target(ServiceRequest referral, String provisionalId, IdentityChoice choice, String nhsNumber) {
        if (choice == null) {
            throw TriageActions.invalid("Choose who the person is");
        }
        return switch (choice) {
            case NEW_PATIENT -> provisionalId;
            case MATCHED -> possibleMatch(referral).map(p -> p.getIdElement().getIdPart()).orElseThrow(() ->
                    TriageActions.invalid("The details given matched no existing record: give the NHS number of "
                            + "the person's record, or confirm them as a new patient"));
            case EXISTING -> byNhsNumber(nhsNumber);
        };
    }

    private String byNhsNumber(String typed) {
        String digits = typed == null ? "" : typed.replaceAll("[\\s-]", "");
        if (digits.isEmpty()) {
            throw TriageActions.invalid("Enter the NHS number of the person's record");
        }
        String problem = NhsNumber.problem(digits);
        if (problem != null) {
            throw TriageActions.invalid("Enter a valid NHS number: " + problem);
        }
        List<Patient> found = records.search("Patient", Patient.class, AccessScope.UNRESTRICTED, "identifier",
                NhsNumber.SYSTEM + "|" + digits, "_count", "20").stream()
                .filter(ProvisionalRecords::confirmedAndActive).toList();
        if (found.isEmpty()) {
            throw TriageActions.invalid("No confirmed record has that NHS number");
        }
        if (found.size() > 1) {
            throw TriageActions.invalid("More than one record has that NHS number: ask the records team to merge "
                    + "them first");
        }
        return found.get(0).getIdElement().getIdPart();
    }

    /** Why a record cannot be linked to: the person's details differ from it. */
    static final String DETAILS_DIFFER = "The record with that NHS number does not match the details given (date of "
            + "birth or surname); check with the person";

    /**
     * Writes the confirmation in the caller's transaction: the referral, its answers and its tasks on the chosen
     * record, the referral's unverified tag gone, a note saying who confirmed what, and a link to an existing
     * record put on information governance's review list.
     */
    void confirm(WriteSession session, ServiceRequest referral, String provisionalId, String targetId,
                 IdentityChoice choice, Requester confirmer) throws SQLException {
        String confirmedBy = confirmer.fhirUser() != null ? confirmer.fhirUser() : confirmer.subject();
        String referralId = referral.getIdElement().getIdPart();
        String from = "Patient/" + provisionalId;
        String to = "Patient/" + targetId;
        Date now = Date.from(session.now());
        Patient provisional = session.current("Patient", provisionalId).filter(s -> !s.deleted())
                .map(s -> s.parse(Patient.class)).orElse(null);
        boolean provisionalRecord = provisional != null && unverified(provisional);
        if (!provisionalRecord && !from.equals(to)) {
            // Only a provisional record is emptied into another: everything about a confirmed one would move too.
            throw TriageActions.invalid("The referral is on a confirmed record already: confirm that record (by its "
                    + "NHS number) or reject the referral");
        }
        Patient existing = null;
        if (!from.equals(to)) {
            // Whoever triages could also have sent the referral: it joins only a record of the person it describes.
            existing = session.current("Patient", targetId).filter(s -> !s.deleted())
                    .map(s -> s.parse(Patient.class)).filter(ProvisionalRecords::confirmedAndActive)
                    .orElseThrow(() -> TriageActions.invalid("No confirmed record has that NHS number"));
            if (!sameDetails(provisional, existing)) {
                throw TriageActions.invalid(DETAILS_DIFFER);
            }
        }
        String numberNote = provisionalRecord && from.equals(to)
                ? NewPatientNumbers.adopt(session, provisional, provisionalId) : "";

        // This referral and what belongs to it are read before anything is written, then each written once;
        // anything else on the provisional Patient (another referral, something written to it since) stays there.
        Map<String, Resource> toWrite = new LinkedHashMap<>();
        toWrite.put("ServiceRequest/" + referralId, referral);
        if (!from.equals(to)) {
            for (Resource r : ofReferral(session, referral)) {
                toWrite.putIfAbsent(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
            }
            FhirTerser terser = FhirContexts.r4().newTerser();
            // Each is re-pointed from the provisional Patient; one that never named it is left unwritten.
            toWrite.values().removeIf(r -> {
                boolean named = false;
                for (Reference ref : terser.getAllPopulatedChildElementsOfType(r, Reference.class)) {
                    if (from.equals(ref.getReference())) {
                        ref.setReference(to);
                        named = true;
                    }
                }
                return !named && r != referral;
            });
        }
        referral.getMeta().getTag().removeIf(t -> ReferralCodes.IDENTITY_STATUS.equals(t.getSystem()));
        referral.addNote(new Annotation().setAuthor(new Reference(confirmedBy)).setTime(now)
                .setText(from.equals(to)
                        ? "Identity confirmed at triage: the person is new to the trust; the details they gave are "
                        + "their record." + numberNote
                        : "Identity confirmed at triage: the referral was moved to the person's existing record."));
        for (Resource r : toWrite.values()) {
            session.update(r.fhirType(), r.getIdElement().getIdPart(), r, null);
        }
        if (provisionalRecord) {
            if (from.equals(to)) {
                provisional.getMeta().getTag().removeIf(t -> ReferralCodes.IDENTITY_STATUS.equals(t.getSystem()));
            } else {
                // Kept, not deleted: the audit trail and the referral's history name it.
                provisional.setActive(false);
                provisional.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new Reference(to));
            }
            session.update("Patient", provisionalId, provisional, null);
        }
        // Anything but keeping a provisional record as a new patient's puts the referral on an existing record.
        if (!(provisionalRecord && from.equals(to))) {
            reviews.add(session.connection(), new IdentityConfirmationReview(UUID.randomUUID().toString(), referralId,
                    reference(referral), targetId, provisionalId, choice == IdentityChoice.MATCHED
                    ? IdentityConfirmationReview.MATCHED : IdentityConfirmationReview.EXISTING,
                    existing != null ? MatchedDetails.describe(provisional, existing) : TAKEN_IN_ON_THE_RECORD,
                    confirmer.subject() == null ? confirmedBy : confirmer.subject(), confirmedBy, session.now(),
                    null, null, null));
        }
    }

    /** What the review list says of a self-referral that was taken in on the existing record itself. */
    static final String TAKEN_IN_ON_THE_RECORD = "Taken in on this record before triage confirmed identities: the "
            + "details given were not kept apart to compare";

    private static String reference(ServiceRequest referral) {
        return referral.getIdentifier().stream().filter(i -> ReferralCodes.REFERRAL_ID.equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    /**
     * Whether the existing record is of the person the details describe: the same date of birth and the same
     * surname (ignoring case and surrounding spaces) on one of its names. The postcode is not compared, as people
     * move.
     */
    static boolean sameDetails(Patient given, Patient existing) {
        if (!given.hasBirthDate() || !existing.hasBirthDate() || !given.getBirthDateElement().getValueAsString()
                .equals(existing.getBirthDateElement().getValueAsString())) {
            return false;
        }
        List<String> surnames = existing.getName().stream().filter(n -> n.hasFamily())
                .map(n -> n.getFamily().strip().toLowerCase(Locale.ROOT)).toList();
        return given.getName().stream().filter(n -> n.hasFamily())
                .anyMatch(n -> surnames.contains(n.getFamily().strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * What belongs to the referral: its answers (based on it or named as its supporting information) and its
     * Tasks (focused on it).
     */
    private static List<Resource> ofReferral(WriteSession session, ServiceRequest referral) throws SQLException {
        String self = "ServiceRequest/" + referral.getIdElement().getIdPart();
        List<Resource> out = new ArrayList<>(search(session, "QuestionnaireResponse", "based-on", self));
        for (Reference info : referral.getSupportingInfo()) {
            String id = ReferralRecords.idPart(info.getReference(), "QuestionnaireResponse");
            if (id != null) {
                session.current("QuestionnaireResponse", id).filter(s -> !s.deleted())
                        .ifPresent(s -> out.add(s.parse(QuestionnaireResponse.class)));
            }
        }
        out.addAll(search(session, "Task", "focus", self));
        return out;
    }

    private static List<Resource> search(WriteSession session, String type, String parameter, String value)
            throws SQLException {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put(parameter, List.of(value));
        p.put("_count", List.of("1000"));
        @SuppressWarnings("unchecked")
        Class<? extends Resource> model = (Class<? extends Resource>) FhirContexts.r4().getResourceDefinition(type)
                .getImplementingClass();
        List<Resource> out = new ArrayList<>();
        for (StoredResource s : session.load(session.search(new SearchRequest(type, p, false)).matches())) {
            if (!s.deleted()) {
                out.add(s.parse(model));
            }
        }
        return out;
    }
}
