package org.charnwood.app.security;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.*;

/**
 * Content that belongs to no compartment by type (Binaries, stored Bundles), a carer's Consent exceptions, and
 * security labels written under other names of their code systems or outside the codes the policy knows.
 */
class SensitiveContentIntegrationTests extends AccessFixtureIntegrationTest {

    private static final Caller CLINICIAN_DOC = Caller.staff("Practitioner/doc", CLINICIAN);
    private static final Caller NURSE_DOC = Caller.staff("Practitioner/doc", REGISTERED_NURSE);
    private static final Caller HCA_DOC = Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT);
    private static final Caller UNRELATED = Caller.staff("Practitioner/other", CLINICIAN);
    private static final Caller BOOKING = Caller.staff("Practitioner/other", ADMIN_BOOKING);
    private static final Caller SYSADMIN = Caller.staff("Practitioner/other", SYSTEM_ADMINISTRATOR);
    private static final Caller SYSTEM = Caller.system("system/*.cruds");
    private static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private static DocumentReference letter(String id, String patient, String label) {
        DocumentReference d = new DocumentReference();
        d.setId(id);
        d.setStatus(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
        d.setSubject(new Reference("Patient/" + patient));
        d.addContent().getAttachment().setUrl("Binary/" + id + "-bin").setContentType("text/plain");
        if (label != null) {
            d.getMeta().addSecurity(CONFIDENTIALITY, label, null);
        }
        return d;
    }

    private static Binary content(String id, String context, String text) {
        Binary b = new Binary();
        b.setId(id);
        b.setContentType("text/plain");
        b.setData(text.getBytes(StandardCharsets.UTF_8));
        if (context != null) {
            b.setSecurityContext(new Reference(context));
        }
        return b;
    }

    @Test
    void aBinaryIsSeenExactlyWhenItsSecurityContextIs() {
        AccessFixture.put(repository, List.of(letter("doc-v", "p1", "V"), letter("doc-plain", "p1", null),
                letter("doc-p2", "p2", null)));
        AccessFixture.put(repository, List.of(content("doc-v-bin", "DocumentReference/doc-v", "SECRETSCANNED"),
                content("doc-plain-bin", "DocumentReference/doc-plain", "PLAINLETTER"),
                content("doc-p2-bin", "DocumentReference/doc-p2", "OTHERPATIENT"),
                content("p1-bin", "Patient/p1", "ABOUTP1"),
                content("loose-bin", null, "NOCONTEXT")));

        // Very restricted letter: only the clinician (who may see V and has the relationship) and system callers.
        assertThat(as(CLINICIAN_DOC).get("/fhir/Binary/doc-v-bin").status()).isEqualTo(200);
        assertThat(as(SYSTEM).get("/fhir/Binary/doc-v-bin").status()).isEqualTo(200);
        for (Caller caller : List.of(NURSE_DOC, UNRELATED, BOOKING, SYSADMIN, Caller.patient("p2"),
                Caller.carer("carer1", "p1"))) {
            Response r = as(caller).get("/fhir/Binary/doc-v-bin");
            assertThat(r.status()).as(caller.toString()).isIn(403, 404);
            assertThat(r.body()).doesNotContain(b64("SECRETSCANNED"));
        }
        // A plain letter follows its DocumentReference: the nurse and the patient, not another patient or an
        // unrelated clinician.
        assertThat(as(NURSE_DOC).get("/fhir/Binary/doc-plain-bin").status()).isEqualTo(200);
        assertThat(as(Caller.patient("p1")).get("/fhir/Binary/doc-plain-bin").status()).isEqualTo(200);
        assertThat(as(Caller.patient("p2")).get("/fhir/Binary/doc-plain-bin").status()).isEqualTo(404);
        assertThat(as(UNRELATED).get("/fhir/Binary/doc-plain-bin").status()).isEqualTo(404);
        // No context at all: system callers only.
        assertThat(as(CLINICIAN_DOC).get("/fhir/Binary/loose-bin").status()).isEqualTo(404);
        assertThat(as(SYSTEM).get("/fhir/Binary/loose-bin").status()).isEqualTo(200);

        // Searches leave out what may not be seen, and count only the rest.
        assertThat(ids(as(Caller.patient("p2")).get("/fhir/Binary?_total=accurate").bundle()))
                .containsExactly("doc-p2-bin");
        assertThat(as(Caller.patient("p2")).get("/fhir/Binary?_total=accurate").bundle().getTotal()).isEqualTo(1);
        assertThat(ids(as(NURSE_DOC).get("/fhir/Binary?_count=50").bundle()))
                .containsExactlyInAnyOrder("doc-plain-bin", "p1-bin");
        assertThat(as(NURSE_DOC).get("/fhir/Binary?_summary=count").bundle().getTotal()).isEqualTo(2);
        assertThat(ids(as(CLINICIAN_DOC).get("/fhir/Binary?_count=50").bundle()))
                .containsExactlyInAnyOrder("doc-v-bin", "doc-plain-bin", "p1-bin");
        assertThat(as(SYSTEM).get("/fhir/Binary?_summary=count").bundle().getTotal()).isEqualTo(5);
        assertThat(as(BOOKING).get("/fhir/Binary?_summary=count").bundle().getTotal()).isZero();
    }

    @Test
    void aBinaryFiledAgainstThePatientNeedsTheirDocuments() {
        AccessFixture.put(repository, List.of(letter("doc-plain", "p1", null),
                AccessFixture.relatedPerson("carer3", "p1"), AccessFixture.relatedPerson("carer4", "p1"),
                AccessFixture.consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE, "Appointment"),
                AccessFixture.consent("consent3", "p1", "carer3", Consent.ConsentState.ACTIVE, "Appointment",
                        "DocumentReference"),
                AccessFixture.consent("consent4a", "p1", "carer4", Consent.ConsentState.ACTIVE, "DocumentReference"),
                AccessFixture.consent("consent4b", "p2", "carer4", Consent.ConsentState.ACTIVE, "Appointment")));
        AccessFixture.put(repository, relationships, List.of(content("p1-bin", "Patient/p1", "SCANNEDLETTERP1"),
                content("p2-bin", "Patient/p2", "SCANNEDLETTERP2"),
                content("doc-plain-bin", "DocumentReference/doc-plain", "PLAINLETTER")));

        // A carer shared only appointments sees the Patient, but not a letter filed against it.
        Caller appointmentsOnly = Caller.carer("carer1", "p1");
        assertThat(as(appointmentsOnly).get("/fhir/Patient/p1").status()).isEqualTo(200);
        Response refused = as(appointmentsOnly).get("/fhir/Binary/p1-bin");
        assertThat(refused.status()).isIn(403, 404);
        assertThat(refused.body()).doesNotContain(b64("SCANNEDLETTERP1"));
        assertThat(as(appointmentsOnly).get("/fhir/Binary?_summary=count").bundle().getTotal()).isZero();
        // A carer shared documents sees it.
        assertThat(as(Caller.carer("carer3", "p1")).get("/fhir/Binary/p1-bin").status()).isEqualTo(200);
        // Each patient's consent speaks for their own letters: documents shared by p1, only appointments by p2.
        Caller twoPatients = Caller.carer("carer4", "p1");
        assertThat(as(twoPatients).get("/fhir/Binary/p1-bin").status()).isEqualTo(200);
        assertThat(as(twoPatients).get("/fhir/Binary/p2-bin").status()).isIn(403, 404);
        assertThat(ids(as(twoPatients).get("/fhir/Binary?_count=50").bundle()))
                .containsExactlyInAnyOrder("p1-bin", "doc-plain-bin");

        // The patient's own app: Binary scope without DocumentReference scope does not open the letter.
        assertThat(as(Caller.patient("p1")).get("/fhir/Binary/p1-bin").status()).isEqualTo(200);
        Caller appointmentsApp = Caller.patient("p1").scopes("patient/Patient.rs", "patient/Appointment.rs",
                "patient/Binary.rs");
        assertThat(as(appointmentsApp).get("/fhir/Binary/p1-bin").status()).isIn(403, 404);
        assertThat(ids(as(appointmentsApp).get("/fhir/Binary?_count=50").bundle())).isEmpty();
        Caller documentsApp = Caller.patient("p1").scopes("patient/Patient.rs", "patient/DocumentReference.rs",
                "patient/Binary.rs");
        assertThat(as(documentsApp).get("/fhir/Binary/p1-bin").status()).isEqualTo(200);
        // Staff with the relationship still see it; a system token limited to Patient and Binary does not.
        assertThat(as(NURSE_DOC).get("/fhir/Binary/p1-bin").status()).isEqualTo(200);
        assertThat(as(Caller.system("system/Patient.rs", "system/Binary.rs")).get("/fhir/Binary/p1-bin").status())
                .isIn(403, 404);
        assertThat(as(SYSTEM).get("/fhir/Binary/p1-bin").status()).isEqualTo(200);
    }

    @Test
    void aStoredBundleIsForSystemCallersOnly() {
        Bundle collection = new Bundle();
        collection.setId("coll-1");
        collection.setType(Bundle.BundleType.COLLECTION);
        Observation o = AccessFixture.observation("in-bundle", "p1", AccessFixture.VITALS);
        o.setValue(new org.hl7.fhir.r4.model.StringType("SECRETBUNDLEDOC"));
        collection.addEntry().setFullUrl("urn:uuid:8a1c9c6e-2c32-4b49-9d0c-0c6a2b1d0f11").setResource(o);
        AccessFixture.put(repository, List.of(collection));

        for (Caller caller : List.of(CLINICIAN_DOC, BOOKING, SYSADMIN, Caller.patient("p1"), Caller.patient("p2"),
                Caller.carer("carer1", "p1"))) {
            assertThat(as(caller).get("/fhir/Bundle/coll-1").status()).as(caller.toString()).isIn(403, 404);
            Response search = as(caller).get("/fhir/Bundle?_summary=count");
            if (search.status() == 200) {
                assertThat(search.bundle().getTotal()).as(caller.toString()).isZero();
            }
        }
        assertThat(as(SYSTEM).get("/fhir/Bundle/coll-1").status()).isEqualTo(200);
    }

    @Test
    void aCarersConsentExceptionsAreHonoured() {
        Consent consent = AccessFixture.consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE);
        consent.getProvision().addProvision().setType(Consent.ConsentProvisionType.DENY)
                .addClass_(new Coding("http://hl7.org/fhir/resource-types", "Condition", null));
        org.hl7.fhir.r4.model.Condition condition = new org.hl7.fhir.r4.model.Condition();
        condition.setId("p1-cond");
        condition.setSubject(new Reference("Patient/p1"));
        condition.getCode().setText("Alzheimer's disease");
        AccessFixture.put(repository, List.of(consent, condition));
        Caller carer = Caller.carer("carer1", "p1");

        assertThat(as(carer).get("/fhir/Condition/p1-cond").status()).isIn(403, 404);
        Response search = as(carer).get("/fhir/Condition?subject=Patient/p1");
        assertThat(search.status() == 403 || search.bundle().getTotal() == 0).as(search.body()).isTrue();
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);

        // An exception the policy cannot enforce exactly (by code) denies its whole type.
        Consent byCode = AccessFixture.consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE);
        byCode.getProvision().addProvision().setType(Consent.ConsentProvisionType.DENY)
                .addClass_(new Coding("http://hl7.org/fhir/resource-types", "Observation", null))
                .addCode().addCoding(new Coding("http://loinc.org", "8867-4", null));
        AccessFixture.put(repository, List.of(byCode));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isIn(403, 404);
        assertThat(as(carer).get("/fhir/Condition/p1-cond").status()).isEqualTo(200);

        // A deny by label hides that label; a nested permit back for a type inside a deny of everything.
        Consent byLabel = AccessFixture.consent("consent1", "p1", "carer1", Consent.ConsentState.ACTIVE);
        byLabel.getProvision().addProvision().setType(Consent.ConsentProvisionType.DENY)
                .addSecurityLabel(new Coding(ACT_CODE, "NOPAT", null));
        Consent.ProvisionComponent denyAll = byLabel.getProvision().addProvision()
                .setType(Consent.ConsentProvisionType.DENY);
        denyAll.addProvision().setType(Consent.ConsentProvisionType.PERMIT)
                .addClass_(new Coding("http://hl7.org/fhir/resource-types", "Observation", null));
        AccessFixture.put(repository, List.of(byLabel));
        assertThat(as(carer).get("/fhir/Observation/p1-obs").status()).isEqualTo(200);
        assertThat(as(carer).get("/fhir/Condition/p1-cond").status()).isIn(403, 404);
    }

    @Test
    void labelsUnderOtherNamesOfTheirSystemsHideAsTheUsualOnesDo() {
        List<Observation> labelled = List.of(
                AccessFixture.labelled(AccessFixture.observation("lab-std", "p1", "laboratory"), ACT_CODE, "STD"),
                AccessFixture.labelled(AccessFixture.observation("lab-sud", "p1", "laboratory"), ACT_CODE, "SUD"),
                AccessFixture.labelled(AccessFixture.observation("lab-oid-v", "p1", "laboratory"),
                        "urn:oid:2.16.840.1.113883.5.25", "V"),
                AccessFixture.labelled(AccessFixture.observation("lab-old-r", "p1", "laboratory"),
                        "http://hl7.org/fhir/v3/Confidentiality", "R"));
        for (Observation o : labelled) {
            Response written = as(SYSTEM).putJson("/fhir/Observation/" + o.getIdPart(), o);
            assertThat(written.status()).as(written.body()).isIn(200, 201);
            assertThat(as(HCA_DOC).get("/fhir/Observation/" + o.getIdPart()).status()).as(o.getIdPart())
                    .isEqualTo(404);
            assertThat(as(Caller.carer("carer1", "p1")).get("/fhir/Observation/" + o.getIdPart()).status())
                    .as(o.getIdPart()).isIn(403, 404);
        }
        assertThat(as(NURSE_DOC).get("/fhir/Observation/lab-std").status()).isEqualTo(200);
        assertThat(as(NURSE_DOC).get("/fhir/Observation/lab-oid-v").status()).isEqualTo(404);
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/lab-oid-v").status()).isEqualTo(200);
        assertThat(as(HCA_DOC).get("/fhir/Observation?subject=Patient/p1&category=laboratory&_summary=count")
                .bundle().getTotal()).isEqualTo(1);
    }

    @Test
    void aLabelThePolicyDoesNotKnowIsRefusedOnWrite() {
        for (String[] label : List.of(new String[] {CONFIDENTIALITY, "X"}, new String[] {ACT_CODE, "NOSUCH"},
                new String[] {"urn:oid:2.16.840.1.113883.5.25", "Q"}, new String[] {null, "V"})) {
            Observation o = AccessFixture.labelled(AccessFixture.observation("odd-label", "p1", "laboratory"),
                    label[0], label[1]);
            Response r = as(SYSTEM).putJson("/fhir/Observation/odd-label", o);
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.body()).contains("security label");
        }
        Observation normal = AccessFixture.labelled(AccessFixture.observation("odd-label", "p1", "laboratory"),
                CONFIDENTIALITY, "N");
        assertThat(as(SYSTEM).putJson("/fhir/Observation/odd-label", normal).status()).isIn(200, 201);
    }

    private static List<String> ids(Bundle b) {
        return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
