package org.charnwood.app.referrals;

import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Self-referrals. Nobody signs in to refer themselves, so whoever sends the form may not be the person it
 * describes: the referral is always stored on a provisional Patient made from the details given and marked
 * unverified, and is itself marked unverified, until a triager of the service confirms who the person is. The
 * details are matched to a record (NHS number and date of birth, or name, date of birth and postcode) for
 * triage only: the match is noted on the referral, with what the record turns up (criteria, an open referral
 * to the same service), and nothing of it is told to the sender. Attaching the referral to the matched record
 * straight away would give the whole service a relationship with that patient on the word of anyone who knows
 * their NHS number and date of birth.
 */
@Component
class SelfReferrals {

    private final FhirRepository repository;
    private final ReferralIntake intake;

    SelfReferrals(FhirRepository repository, ReferralIntake intake) {
        this.repository = repository;
        this.intake = intake;
    }

    ReferralIntake.Received refer(Pathway pathway, PersonDetails person, QuestionnaireResponse answers,
                                  Requester requester) {
        ServiceRequest request = new ServiceRequest();
        request.addPerformer(new Reference(pathway.service()));
        request.addInstantiatesCanonical(pathway.canonical());
        Optional<Patient> match = match(person);
        Patient described = person.asProvisionalPatient();
        return intake.receive(new ReferralIntake.Submission(request, answers, ReferralIntake.Channel.SELF_REFERRAL,
                requester, described, described, match.orElse(null)));
    }

    /**
     * The record the details match: a confirmed record before the provisional one of an earlier self-referral,
     * and never one that has been replaced by another.
     */
    Optional<Patient> match(PersonDetails person) {
        String born = person.birthDate().toString();
        if (!person.nhsDigits().isEmpty()) {
            Optional<Patient> byNumber = search("identifier", NhsNumber.SYSTEM + "|" + person.nhsDigits(),
                    "birthdate", born).stream().findFirst();
            if (byNumber.isPresent()) {
                return byNumber;
            }
            // An earlier self-referral's provisional record keeps the number only as the person stated it.
            Optional<Patient> earlier = search("_tag", ProvisionalRecords.IDENTITY_STATUS + "|"
                    + ProvisionalRecords.UNVERIFIED, "birthdate", born).stream()
                    .filter(p -> ProvisionalRecords.statedNhsNumber(p).filter(person.nhsDigits()::equals).isPresent())
                    .findFirst();
            if (earlier.isPresent()) {
                return earlier;
            }
        }
        String given = person.givenName().toLowerCase(Locale.ROOT);
        return search("family:exact", person.familyName(), "birthdate", born).stream()
                .filter(p -> p.getName().stream().anyMatch(n -> n.getGiven().stream()
                        .anyMatch(g -> g.getValue() != null && g.getValue().toLowerCase(Locale.ROOT).equals(given))))
                .filter(p -> p.getAddress().stream().anyMatch(a -> a.hasPostalCode()
                        && a.getPostalCode().replaceAll("\\s", "").equalsIgnoreCase(person.normalisedPostcode()
                        .replaceAll("\\s", ""))))
                .findFirst();
    }

    private List<Patient> search(String... nameValues) {
        SearchRequest request = SearchRequest.of("Patient", nameValues);
        request.parameters().put("_count", List.of("100"));
        return repository.search(request).matches().stream()
                .filter(s -> !s.deleted()).map(s -> s.parse(Patient.class))
                .filter(p -> !p.hasActive() || p.getActive())
                .sorted(java.util.Comparator.comparing(ProvisionalRecords::unverified)).toList();
    }
}
