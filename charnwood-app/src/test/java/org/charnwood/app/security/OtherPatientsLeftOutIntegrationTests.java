package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.AppointmentResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group appointment lists every attending patient; a patient or carer reading it is shown their own patient and
 * no other, on every path they can receive it by, tagged SUBSETTED; staff and systems still get it whole.
 */
class OtherPatientsLeftOutIntegrationTests extends CharnwoodIntegrationTest {

    private static final String SUBSETTED = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static final Caller PATIENT = Caller.patient("p1");
    /** p1's carer, shown the whole record. */
    private static final Caller CARER = Caller.carer("carer3", "p1");
    /** The other attendees and what would give them away. */
    private static final List<String> OTHERS = List.of("Patient/p2", "Patient/p3", "Baker", "Cole",
            "RelatedPerson/mother-of-p2", "contained-attendee", "9990001235");

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void loadGroup() {
        AccessFixture.load(repository, relationships);
        Appointment group = new Appointment();
        group.setId("group-1");
        group.setStatus(Appointment.AppointmentStatus.BOOKED);
        group.setDescription("Anxiety management group, session 3");
        group.setStart(java.util.Date.from(java.time.Instant.parse("2026-12-01T10:00:00Z")));
        group.setEnd(java.util.Date.from(java.time.Instant.parse("2026-12-01T11:30:00Z")));
        Narrative everyone = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
        everyone.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Ann Allen, Bob Baker, Cy Cole</div>");
        group.setText(everyone);
        org.hl7.fhir.r4.model.Patient contained = new org.hl7.fhir.r4.model.Patient();
        contained.setId("contained-attendee");
        group.addContained(contained);
        group.addParticipant().setActor(new Reference("Patient/p1").setDisplay("Ann Allen"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        group.addParticipant().setActor(new Reference("Patient/p2").setDisplay("Bob Baker"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        group.addParticipant().setActor(new Reference("Patient/p3").setDisplay("Cy Cole"))
                .setStatus(Appointment.ParticipationStatus.TENTATIVE);
        group.addParticipant().setActor(new Reference("#contained-attendee"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        group.addParticipant().setActor(new Reference().setType("Patient").setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990001235"))).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        group.addParticipant().setActor(new Reference("RelatedPerson/mother-of-p2"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        group.addParticipant().setActor(new Reference("RelatedPerson/carer1"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        group.addParticipant().setActor(new Reference("Practitioner/doc").setDisplay("Dr Doc"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);

        AppointmentResponse reply = new AppointmentResponse();
        reply.setId("p2-reply");
        reply.setAppointment(new Reference("Appointment/group-1"));
        reply.setActor(new Reference("Patient/p2"));
        reply.setParticipantStatus(AppointmentResponse.ParticipantStatus.ACCEPTED);

        CareTeam peers = AccessFixture.team("peer-support", "Patient/p1", "Patient/p2", "Practitioner/doc");
        Communication message = new Communication();
        message.setId("group-message");
        message.setStatus(Communication.CommunicationStatus.COMPLETED);
        message.setSender(new Reference("Practitioner/doc"));
        message.addRecipient(new Reference("Patient/p1"));
        message.addRecipient(new Reference("Patient/p2"));
        message.addRecipient(new Reference("Patient/p3"));
        message.addPayload().setContent(new org.hl7.fhir.r4.model.StringType("Session 3 moves to room 2"));

        Consent whole = AccessFixture.consent("consent3", "p1", "carer3", Consent.ConsentState.ACTIVE);
        AccessFixture.put(repository, relationships, List.of(AccessFixture.patient("p3", "Cole"),
                AccessFixture.relatedPerson("mother-of-p2", "p2"), AccessFixture.relatedPerson("carer3", "p1"),
                whole, group, reply, peers, message,
                AccessFixture.appointment("p1-visit", "p1", "Practitioner/doc", Appointment.AppointmentStatus.BOOKED)));
        // A second version, so that history has two to show.
        group.setComment("Bring the worksheet");
        AccessFixture.put(repository, List.of(group));
    }

    private FhirHttp as(Caller caller) {
        return http.as(tokens.bearer(caller));
    }

    private Response ok(Caller caller, String path) {
        Response r = as(caller).get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r;
    }

    private static void namesNoOtherPatient(String what, String body) {
        for (String other : OTHERS) {
            assertThat(body).as(what).doesNotContain(other);
        }
    }

    private static List<String> actors(Appointment a) {
        return a.getParticipant().stream().map(p -> p.getActor().getReference()).toList();
    }

    private static long subsettedTags(Resource r) {
        return r.getMeta().getTag().stream()
                .filter(t -> SUBSETTED.equals(t.getSystem()) && "SUBSETTED".equals(t.getCode())).count();
    }

    @Test
    void aPatientReadingTheirGroupAppointmentSeesThemselvesAndTheStaffButNoOtherAttendee() {
        Response read = ok(PATIENT, "/fhir/Appointment/group-1");
        namesNoOtherPatient("read", read.body());
        Appointment shown = read.resource(Appointment.class);
        assertThat(actors(shown)).containsExactly("Patient/p1", "RelatedPerson/carer1", "Practitioner/doc");
        assertThat(shown.getParticipantFirstRep().getActor().getDisplay()).isEqualTo("Ann Allen");
        assertThat(subsettedTags(shown)).isEqualTo(1);
        // The narrative listed everyone; the contained attendee went with their entry.
        assertThat(shown.hasText()).isFalse();
        assertThat(shown.hasContained()).isFalse();
        assertThat(shown.getDescription()).isEqualTo("Anxiety management group, session 3");
        assertThat(read.header("ETag")).isEqualTo("W/\"2\"");

        Response xml = ok(PATIENT, "/fhir/Appointment/group-1?_format=xml");
        namesNoOtherPatient("xml", xml.body());
        assertThat(xml.body()).contains("SUBSETTED");
        Response vread = ok(PATIENT, "/fhir/Appointment/group-1/_history/1");
        namesNoOtherPatient("vread", vread.body());
        assertThat(subsettedTags(vread.resource(Appointment.class))).isEqualTo(1);
        Response elements = ok(PATIENT, "/fhir/Appointment/group-1?_elements=participant");
        namesNoOtherPatient("_elements", elements.body());
        assertThat(subsettedTags(elements.resource(Appointment.class))).isEqualTo(1);
        Response summary = ok(PATIENT, "/fhir/Appointment/group-1?_summary=true");
        namesNoOtherPatient("_summary", summary.body());
        assertThat(subsettedTags(summary.resource(Appointment.class))).isEqualTo(1);
    }

    @Test
    void aGroupAppointmentReadUnderEverySummaryIsTaggedSubsettedOnceWhetherTheParserTrimsItOrNot() {
        for (String query : List.of("_summary=count", "_summary=text", "_summary=data", "_summary=false",
                "_summary=text&_elements=participant", "_summary=data&_elements=participant")) {
            Response read = ok(PATIENT, "/fhir/Appointment/group-1?" + query);
            namesNoOtherPatient(query, read.body());
            assertThat(subsettedTags(read.resource(Appointment.class))).as(query).isEqualTo(1);
        }
        for (String query : List.of("_summary=text", "_summary=data",
                "_elements=participant&_include=Appointment:actor")) {
            Bundle bundle = ok(PATIENT, "/fhir/Appointment?_id=group-1&" + query).bundle();
            assertThat(bundle.getMeta().getTag()).as(query).isEmpty();
            assertThat(bundle.getEntry()).as(query).filteredOn(e -> e.getResource() instanceof Appointment)
                    .singleElement().satisfies(e -> assertThat(subsettedTags(e.getResource())).as(query)
                            .isEqualTo(1));
        }
    }

    @Test
    void everyBundleAPatientGetsLeavesTheOtherAttendeesOut() {
        for (String path : List.of("/fhir/Appointment?patient=Patient/p1",
                "/fhir/Appointment?_id=group-1&_include=Appointment:actor&_revinclude=AppointmentResponse:appointment",
                "/fhir/Appointment?_id=group-1&_elements=participant",
                "/fhir/Appointment?_id=group-1&_summary=true",
                "/fhir/Appointment?_id=group-1&_format=xml",
                "/fhir?_type=Appointment,CareTeam,Communication",
                "/fhir/Appointment/group-1/_history", "/fhir/Appointment/_history", "/fhir/_history",
                "/fhir/Patient/p1/$everything", "/fhir/Patient/p1/$everything?_format=xml",
                "/fhir/CareTeam?participant=Patient/p1", "/fhir/Communication?recipient=Patient/p1")) {
            Response r = ok(PATIENT, path);
            namesNoOtherPatient(path, r.body());
            Bundle bundle = r.bundle();
            assertThat(bundle.getMeta().getTag()).as(path).isEmpty();
            for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
                if (e.getResource() instanceof Appointment a && a.getIdElement().getIdPart().equals("group-1")) {
                    // R4 has no participant in an Appointment's summary; elsewhere the patient's own entry stays.
                    if (!path.contains("_summary")) {
                        assertThat(actors(a)).as(path).contains("Patient/p1");
                    }
                    assertThat(subsettedTags(a)).as(path).isEqualTo(1);
                }
            }
        }
        // The care team and the message keep the patient and the staff, not the other patients.
        CareTeam team = ok(PATIENT, "/fhir/CareTeam/peer-support").resource(CareTeam.class);
        assertThat(team.getParticipant()).extracting(p -> p.getMember().getReference())
                .containsExactly("Patient/p1", "Practitioner/doc");
        assertThat(subsettedTags(team)).isEqualTo(1);
        Communication message = ok(PATIENT, "/fhir/Communication/group-message").resource(Communication.class);
        assertThat(message.getRecipient()).extracting(Reference::getReference).containsExactly("Patient/p1");
        assertThat(message.getSender().getReference()).isEqualTo("Practitioner/doc");
        // An appointment of theirs alone is shown whole, untagged.
        Appointment own = ok(PATIENT, "/fhir/Appointment/p1-visit").resource(Appointment.class);
        assertThat(actors(own)).containsExactly("Patient/p1", "Practitioner/doc");
        assertThat(subsettedTags(own)).isZero();
    }

    @Test
    void searchingByAnotherAttendeeFindsNothingSoItCannotTellWhoAttends() {
        for (String query : List.of("Appointment?actor=Patient/p2", "Appointment?patient=p2",
                "Appointment?actor:Patient=p3", "Appointment?patient=Patient/p1,Patient/p2&status=booked",
                "Appointment?actor:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9990001235",
                "Appointment?actor=RelatedPerson/mother-of-p2", "Appointment?actor=mother-of-p2",
                "CareTeam?participant=Patient/p2", "Communication?recipient=Patient/p3")) {
            Bundle page = ok(PATIENT, "/fhir/" + query).bundle();
            assertThat(page.getEntry()).as(query).isEmpty();
            assertThat(page.getTotal()).as(query).isZero();
            assertThat(ok(CARER, "/fhir/" + query).bundle().getEntry()).as("carer " + query).isEmpty();
        }
        assertThat(ok(PATIENT, "/fhir/Appointment?patient=Patient/p2&_summary=count").bundle().getTotal()).isZero();
        // By themselves, their relative or the staff they still find it.
        for (String query : List.of("Appointment?actor=Patient/p1", "Appointment?patient=p1",
                "Appointment?actor=RelatedPerson/carer1", "Appointment?actor=Practitioner/doc")) {
            Bundle page = ok(PATIENT, "/fhir/" + query).bundle();
            assertThat(page.getEntry()).as(query).extracting(e -> e.getResource().getIdElement().getIdPart())
                    .contains("group-1");
        }
        // Staff asking the same are answered in full.
        assertThat(ok(Caller.system("system/*.cruds"), "/fhir/Appointment?actor=Patient/p2").bundle().getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart()).contains("group-1");
    }

    @Test
    void aCarerSeesTheirPatientAndThemselvesButNoOtherAttendee() {
        Response read = ok(CARER, "/fhir/Appointment/group-1");
        namesNoOtherPatient("carer read", read.body());
        assertThat(actors(read.resource(Appointment.class)))
                .containsExactly("Patient/p1", "RelatedPerson/carer1", "Practitioner/doc");
        Response search = ok(CARER, "/fhir/Appointment?patient=Patient/p1&_format=xml");
        namesNoOtherPatient("carer search", search.body());
        Response everything = ok(CARER, "/fhir/Patient/p1/$everything");
        namesNoOtherPatient("carer $everything", everything.body());
    }

    @Test
    void staffAndSystemsStillSeeEveryAttendee() {
        Appointment whole = ok(Caller.system("system/*.cruds"), "/fhir/Appointment/group-1").resource(Appointment.class);
        assertThat(whole.getParticipant()).hasSize(8);
        assertThat(subsettedTags(whole)).isZero();
        assertThat(whole.hasText()).isTrue();
    }

    @Test
    void aPatientCannotRewriteTheGroupAppointmentSoNoAttendeeIsDropped() {
        Appointment theirView = ok(PATIENT, "/fhir/Appointment/group-1").resource(Appointment.class);
        theirView.setStatus(Appointment.AppointmentStatus.CANCELLED);
        theirView.getMeta().getTag().clear();
        assertThat(as(PATIENT).putJson("/fhir/Appointment/group-1", theirView).status()).isEqualTo(403);
        assertThat(as(PATIENT).patch("/fhir/Appointment/group-1",
                "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"}]",
                "application/json-patch+json").status()).isEqualTo(403);
        Appointment stored = http.get("/fhir/Appointment/group-1").resource(Appointment.class);
        assertThat(stored.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(stored.getParticipant()).hasSize(8);
    }

    @Test
    void thePatientsReadIsOnNoOtherAttendeesAccessHistory() {
        String reads = "/fhir/AuditEvent?patient=p2&subtype=read&_count=100";
        int before = http.get(reads).bundle().getEntry().size();
        ok(PATIENT, "/fhir/Appointment/group-1");
        ok(PATIENT, "/fhir/Appointment/group-1/_history/2");
        assertThat(http.get(reads).bundle().getEntry()).hasSize(before);
        // A reader shown it whole is on every attendee's history.
        ok(Caller.system("system/*.cruds"), "/fhir/Appointment/group-1");
        assertThat(http.get(reads).bundle().getEntry()).hasSize(before + 1);
    }

    @Test
    void bulkExportIsNotOpenToPatients() {
        Response r = as(PATIENT).get("/fhir/Patient/$export", "Prefer", "respond-async");
        assertThat(r.status()).as(r.body()).isEqualTo(403);
    }

    @Test
    void everyOtherTypeInTheirRecordLeavesOutWhoeverElseItNames() {
        org.hl7.fhir.r4.model.Schedule clinic = new org.hl7.fhir.r4.model.Schedule();
        clinic.setId("joint-clinic");
        clinic.addActor(new Reference("Patient/p1")).addActor(new Reference("Patient/p2").setDisplay("Bob Baker"))
                .addActor(new Reference("Practitioner/doc"));
        org.hl7.fhir.r4.model.ListResource list = new org.hl7.fhir.r4.model.ListResource();
        list.setId("waiting");
        list.setStatus(org.hl7.fhir.r4.model.ListResource.ListStatus.CURRENT);
        list.setMode(org.hl7.fhir.r4.model.ListResource.ListMode.WORKING);
        list.setSubject(new Reference("Patient/p1"));
        list.setSource(new Reference("Patient/p3").setDisplay("Cy Cole"));
        list.addEntry().setItem(new Reference("Patient/p1"));
        list.addEntry().setItem(new Reference("Patient/p2"));
        list.addEntry().setItem(new Reference("Practitioner/doc"));
        org.hl7.fhir.r4.model.Coverage cover = new org.hl7.fhir.r4.model.Coverage();
        cover.setId("family-cover");
        cover.setStatus(org.hl7.fhir.r4.model.Coverage.CoverageStatus.ACTIVE);
        // p1 pays for and holds the policy of p2: the coverage is p2's as beneficiary and p1's as subscriber.
        cover.setSubscriber(new Reference("Patient/p1"));
        cover.setPolicyHolder(new Reference("RelatedPerson/mother-of-p2"));
        cover.setBeneficiary(new Reference("Patient/p2").setDisplay("Bob Baker"));
        cover.addPayor(new Reference("Patient/p3")).addPayor(new Reference("Patient/p1"));
        org.hl7.fhir.r4.model.Flag flag = new org.hl7.fhir.r4.model.Flag();
        flag.setId("raised-by-peer");
        flag.setStatus(org.hl7.fhir.r4.model.Flag.FlagStatus.ACTIVE);
        flag.getCode().setText("Check in after the session");
        flag.setSubject(new Reference("Patient/p1"));
        flag.setAuthor(new Reference("Patient/p2"));
        org.hl7.fhir.r4.model.FamilyMemberHistory history = new org.hl7.fhir.r4.model.FamilyMemberHistory();
        history.setId("brother");
        history.setStatus(org.hl7.fhir.r4.model.FamilyMemberHistory.FamilyHistoryStatus.COMPLETED);
        history.setPatient(new Reference("Patient/p1"));
        history.getRelationship().setText("Brother");
        history.addExtension("http://hl7.org/fhir/StructureDefinition/familymemberhistory-patient-record",
                new Reference("Patient/p3"));
        Consent sharing = AccessFixture.consent("consent-peer", "p1", "carer3", Consent.ConsentState.ACTIVE);
        sharing.getProvision().addActor().setReference(new Reference("Patient/p2"))
                .getRole().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode").setCode("FRND");
        org.hl7.fhir.r4.model.Patient merged = AccessFixture.patient("p1", "Allen");
        merged.addLink().setType(org.hl7.fhir.r4.model.Patient.LinkType.REPLACES)
                .setOther(new Reference("Patient/p1-old"));
        merged.addLink().setType(org.hl7.fhir.r4.model.Patient.LinkType.SEEALSO)
                .setOther(new Reference("RelatedPerson/mother-of-p2"));
        AccessFixture.put(repository, List.of(clinic, list, cover, flag, history, sharing,
                AccessFixture.patient("p1-old", "Allen"), merged));

        for (Caller caller : List.of(PATIENT, CARER)) {
            for (String path : List.of("/fhir/Schedule/joint-clinic", "/fhir/List/waiting",
                    "/fhir/Coverage/family-cover", "/fhir/Flag/raised-by-peer", "/fhir/FamilyMemberHistory/brother",
                    "/fhir/Consent/consent-peer", "/fhir/Patient/p1", "/fhir/Patient/p1/$everything",
                    "/fhir/Schedule?actor=Patient/p1", "/fhir/Coverage?subscriber=Patient/p1")) {
                namesNoOtherPatient(caller + " " + path, ok(caller, path).body());
            }
        }
        org.hl7.fhir.r4.model.Schedule shownClinic = ok(PATIENT, "/fhir/Schedule/joint-clinic")
                .resource(org.hl7.fhir.r4.model.Schedule.class);
        assertThat(shownClinic.getActor()).extracting(Reference::getReference)
                .containsExactly("Patient/p1", "Practitioner/doc");
        assertThat(subsettedTags(shownClinic)).isEqualTo(1);
        org.hl7.fhir.r4.model.ListResource shownList = ok(PATIENT, "/fhir/List/waiting")
                .resource(org.hl7.fhir.r4.model.ListResource.class);
        assertThat(shownList.hasSource()).isFalse();
        assertThat(shownList.getEntry()).extracting(e -> e.getItem().getReference())
                .containsExactly("Patient/p1", "Practitioner/doc");
        // The beneficiary is required: it stays as "a patient", without who.
        org.hl7.fhir.r4.model.Coverage shownCover = ok(PATIENT, "/fhir/Coverage/family-cover")
                .resource(org.hl7.fhir.r4.model.Coverage.class);
        assertThat(shownCover.getBeneficiary().getReference()).isNull();
        assertThat(shownCover.getBeneficiary().getType()).isEqualTo("Patient");
        assertThat(shownCover.hasPolicyHolder()).isFalse();
        assertThat(shownCover.getPayor()).extracting(Reference::getReference).containsExactly("Patient/p1");
        assertThat(shownCover.getSubscriber().getReference()).isEqualTo("Patient/p1");
        org.hl7.fhir.r4.model.Flag shownFlag = ok(PATIENT, "/fhir/Flag/raised-by-peer")
                .resource(org.hl7.fhir.r4.model.Flag.class);
        assertThat(shownFlag.hasAuthor()).isFalse();
        assertThat(shownFlag.getCode().getText()).isEqualTo("Check in after the session");
        assertThat(ok(PATIENT, "/fhir/FamilyMemberHistory/brother")
                .resource(org.hl7.fhir.r4.model.FamilyMemberHistory.class).hasExtension()).isFalse();
        Consent shownConsent = ok(CARER, "/fhir/Consent/consent-peer").resource(Consent.class);
        assertThat(shownConsent.getProvision().getActor()).extracting(a -> a.getReference().getReference())
                .containsExactly("RelatedPerson/carer3");
        // Their record's history after a merge stays; the link to a relative of another patient goes.
        org.hl7.fhir.r4.model.Patient shownPatient = ok(PATIENT, "/fhir/Patient/p1")
                .resource(org.hl7.fhir.r4.model.Patient.class);
        assertThat(shownPatient.getLink()).extracting(l -> l.getOther().getReference())
                .containsExactly("Patient/p1-old");
        // Searching by the person left out finds nothing; staff see everything.
        for (String query : List.of("Schedule?actor=Patient/p2", "List?item=Patient/p2",
                "Coverage?beneficiary=Patient/p2", "Flag?author=Patient/p2")) {
            assertThat(ok(PATIENT, "/fhir/" + query).bundle().getEntry()).as(query).isEmpty();
        }
        Caller system = Caller.system("system/*.cruds");
        assertThat(ok(system, "/fhir/Schedule/joint-clinic").resource(org.hl7.fhir.r4.model.Schedule.class)
                .getActor()).hasSize(3);
        assertThat(ok(system, "/fhir/Coverage/family-cover").resource(org.hl7.fhir.r4.model.Coverage.class)
                .getBeneficiary().getReference()).isEqualTo("Patient/p2");
    }

}
