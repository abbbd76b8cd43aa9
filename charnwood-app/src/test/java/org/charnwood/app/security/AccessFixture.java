package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/**
 * The small trust the access tests run against. Practitioner {@code doc} works through PractitionerRole
 * {@code doc-role} in CareTeam {@code team-a}, which holds an active episode for patient {@code p1}; practitioner
 * {@code other} has no relationships. {@code p1} has six observations: plain vital signs, a laboratory result,
 * and vital signs labelled restricted, very restricted, sexual health and withheld from the patient; {@code p2}
 * has one. Carer {@code carer1} has active proxy consent for p1's observations; {@code carer2}'s for p2 was
 * withdrawn.
 */
final class AccessFixture {

    static final String VITALS = "vital-signs";
    static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private AccessFixture() {
    }

    /**
     * Stores the trust and forgets the relationships remembered until now, which every test that then asks for a
     * record needs: the relay tells the relationships about the new resources only a moment after they commit.
     */
    static void load(FhirRepository repository, CareRelationships relationships) {
        List<Resource> all = List.of(
                practitioner("doc"), practitioner("other"),
                role("doc-role", "doc"),
                team("team-a", "PractitionerRole/doc-role"),
                patient("p1", "Allen"), patient("p2", "Baker"),
                episode("ep-1", "p1", "CareTeam/team-a", null),
                observation("p1-obs", "p1", VITALS),
                observation("p1-lab", "p1", "laboratory"),
                labelled(observation("p1-r", "p1", VITALS), "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R"),
                labelled(observation("p1-v", "p1", VITALS), "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V"),
                labelled(observation("p1-sex", "p1", VITALS), "http://terminology.hl7.org/CodeSystem/v3-ActCode", "SEX"),
                labelled(observation("p1-withheld", "p1", VITALS),
                        "https://charnwood.nhs.example/fhir/CodeSystem/access-label", "withheld-from-patient"),
                observation("p2-obs", "p2", VITALS),
                appointment("p2-appt", "p2", "Practitioner/other", Appointment.AppointmentStatus.PROPOSED),
                relatedPerson("carer1", "p1"), relatedPerson("carer2", "p2"),
                consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE, "Observation"),
                consent("consent2", "p2", "carer2", Consent.ConsentState.INACTIVE, "Observation"));
        put(repository, relationships, all);
    }

    /** Stores {@code resources} and forgets the relationships remembered until now, as {@link #load} does. */
    static void put(FhirRepository repository, CareRelationships relationships, List<? extends Resource> resources) {
        put(repository, resources);
        relationships.forgetAll();
    }

    static void put(FhirRepository repository, List<? extends Resource> resources) {
        repository.inTransaction(s -> {
            for (Resource r : resources) {
                s.update(r.fhirType(), r.getIdElement().getIdPart(), r, null);
            }
            return null;
        });
    }

    static Practitioner practitioner(String id) {
        Practitioner p = new Practitioner();
        p.setId(id);
        p.addName(new HumanName().setFamily(id));
        return p;
    }

    static PractitionerRole role(String id, String practitioner) {
        PractitionerRole r = new PractitionerRole();
        r.setId(id);
        r.setActive(true);
        r.setPractitioner(new Reference("Practitioner/" + practitioner));
        return r;
    }

    static CareTeam team(String id, String... members) {
        CareTeam t = new CareTeam();
        t.setId(id);
        t.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        t.setName(id);
        for (String m : members) {
            t.addParticipant().setMember(new Reference(m));
        }
        return t;
    }

    static Patient patient(String id, String family) {
        Patient p = new Patient();
        p.setId(id);
        p.addName(new HumanName().setFamily(family));
        return p;
    }

    static EpisodeOfCare episode(String id, String patient, String team, String careManager) {
        EpisodeOfCare e = new EpisodeOfCare();
        e.setId(id);
        e.setStatus(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        e.setPatient(new Reference("Patient/" + patient));
        if (team != null) {
            e.addTeam(new Reference(team));
        }
        if (careManager != null) {
            e.setCareManager(new Reference(careManager));
        }
        return e;
    }

    static Observation observation(String id, String patient, String category) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept().addCoding(new Coding(CATEGORY, category, null)));
        o.setCode(new CodeableConcept().setText("reading"));
        o.setSubject(new Reference("Patient/" + patient));
        return o;
    }

    static Observation labelled(Observation o, String system, String code) {
        o.getMeta().addSecurity(system, code, null);
        return o;
    }

    static Appointment appointment(String id, String patient, String actor, Appointment.AppointmentStatus status) {
        Appointment a = new Appointment();
        a.setId(id);
        a.setStatus(status);
        // Tomorrow, whenever the tests run: a booking gives a relationship only around its time.
        java.time.Instant start = java.time.Instant.now().plus(java.time.Duration.ofDays(1))
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        a.setStart(java.util.Date.from(start));
        a.setEnd(java.util.Date.from(start.plus(java.time.Duration.ofMinutes(30))));
        a.addParticipant().setActor(new Reference("Patient/" + patient))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant().setActor(new Reference(actor)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return a;
    }

    static RelatedPerson relatedPerson(String id, String patient) {
        RelatedPerson r = new RelatedPerson();
        r.setId(id);
        r.setActive(true);
        r.setPatient(new Reference("Patient/" + patient));
        r.addName(new HumanName().setFamily(id));
        return r;
    }

    static Consent consent(String id, String patient, String carer, Consent.ConsentState state, String... types) {
        Consent c = new Consent();
        c.setId(id);
        c.setStatus(state);
        c.setScope(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        c.addCategory(new CodeableConcept().addCoding(new Coding("http://loinc.org", "59284-0", null)));
        c.setPatient(new Reference("Patient/" + patient));
        c.setPolicyRule(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
        Consent.ProvisionComponent provision = c.getProvision();
        provision.setType(Consent.ConsentProvisionType.PERMIT);
        provision.addActor().setRole(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GRANTEE", null)))
                .setReference(new Reference("RelatedPerson/" + carer));
        for (String t : types) {
            provision.addClass_(new Coding("http://hl7.org/fhir/resource-types", t, null));
        }
        return c;
    }
}
