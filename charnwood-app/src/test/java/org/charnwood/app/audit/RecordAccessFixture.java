package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient whose record a named nurse viewed, and a clinician opened with break-glass, for the "who has viewed
 * my record" tests. Each fixture has its own patient id, because the audit trail is never emptied between tests.
 */
final class RecordAccessFixture {

    static final String REASON = "Found unconscious in the waiting room, need allergies";

    final String patient = "ra-" + UUID.randomUUID().toString().substring(0, 8);
    final TestTokens.Caller nurse = TestTokens.Caller.staff("Practitioner/ra-nurse", AccessRole.REGISTERED_NURSE);
    final TestTokens.Caller doctor = TestTokens.Caller.staff("Practitioner/ra-doc", AccessRole.CLINICIAN)
            .scopes("user/*.cruds", "charnwood/break-glass");

    RecordAccessFixture(FhirRepository repository) {
        Practitioner nurseRecord = new Practitioner();
        nurseRecord.setId("ra-nurse");
        nurseRecord.addName(new HumanName().setFamily("Seacole").addGiven("Mary").setUse(HumanName.NameUse.OFFICIAL));
        Practitioner doctorRecord = new Practitioner();
        doctorRecord.setId("ra-doc");
        doctorRecord.addName(new HumanName().setFamily("Blackwell").addGiven("Elizabeth"));
        Organization trust = new Organization();
        trust.setId("ra-trust");
        trust.setName("Charnwood Community Health NHS Trust");
        trust.addIdentifier().setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue("RX1");
        Patient record = new Patient();
        record.setId(patient);
        record.addName(new HumanName().setFamily("Allen").addGiven("Ada"));
        RelatedPerson carer = new RelatedPerson();
        carer.setId(patient + "-carer");
        carer.setActive(true);
        carer.setPatient(new Reference("Patient/" + patient));
        carer.addName(new HumanName().setFamily("Allen").addGiven("Bea"));
        put(repository, List.of(nurseRecord, doctorRecord, trust, record, carer));
    }

    /** The nurse looks up the patient's details; the clinician breaks glass and searches their observations. */
    void othersUseTheRecord(TestTokens tokens, FhirHttp http) {
        assertThat(http.as(tokens.bearer(nurse)).get("/fhir/Patient/" + patient).status()).isEqualTo(200);
        FhirHttp doc = http.as(tokens.bearer(doctor));
        var granted = doc.post("/api/break-glass", "{\"patientId\":\"" + patient + "\",\"reason\":\"" + REASON + "\"}",
                "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(doc.get("/fhir/Observation?patient=" + patient).status()).isEqualTo(200);
    }

    /** The carer's proxy consent, sharing the listed resource types. */
    void carerMaySee(FhirRepository repository, String... types) {
        Consent c = new Consent();
        c.setId(patient + "-consent");
        c.setStatus(Consent.ConsentState.ACTIVE);
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
                .setReference(new Reference("RelatedPerson/" + patient + "-carer"));
        for (String t : types) {
            provision.addClass_(new Coding("http://hl7.org/fhir/resource-types", t, null));
        }
        put(repository, List.of(c));
    }

    TestTokens.Caller carer() {
        return TestTokens.Caller.carer(patient + "-carer", patient);
    }

    static void put(FhirRepository repository, List<? extends Resource> resources) {
        repository.inTransaction(s -> {
            for (Resource r : resources) {
                s.update(r.fhirType(), r.getIdElement().getIdPart(), r, null);
            }
            return null;
        });
    }
}
