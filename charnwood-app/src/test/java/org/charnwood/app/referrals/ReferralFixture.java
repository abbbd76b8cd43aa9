package org.charnwood.app.referrals;

import org.charnwood.app.testing.FhirHttp;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Patients, practices and referrals for the referral tests, written through the FHIR API. */
final class ReferralFixture {

    static final String SNOMED = "http://snomed.info/sct";

    private final FhirHttp http;

    ReferralFixture(FhirHttp http) {
        this.http = http;
    }

    /** A GP practice in Leicester (ODS code C82901) and one outside the area (ODS code M85001). */
    void practices() {
        put(organization("gp-c82901", "C82901", "Charnwood Road Surgery"));
        put(organization("gp-m85001", "M85001", "Birmingham Practice"));
    }

    private static Organization organization(String id, String ods, String name) {
        Organization o = new Organization();
        o.setId(id);
        o.addIdentifier().setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue(ods);
        o.setName(name);
        return o;
    }

    /** A patient born on the date, living at the postcode, registered with the practice. */
    void patient(String id, LocalDate born, String postcode, String practiceId) {
        Patient p = new Patient();
        p.setId(id);
        p.addName(new HumanName().setFamily("Patel").addGiven("Asha"));
        p.setGender(Enumerations.AdministrativeGender.FEMALE);
        p.setBirthDateElement(new DateType(born.toString()));
        if (postcode != null) {
            p.addAddress().setUse(org.hl7.fhir.r4.model.Address.AddressUse.HOME).addLine("1 High Street")
                    .setCity("Leicester").setPostalCode(postcode);
        }
        if (practiceId != null) {
            p.addGeneralPractitioner(new Reference("Organization/" + practiceId));
        }
        put(p);
    }

    void condition(String patientId, String code, String display) {
        Condition c = new Condition();
        c.setSubject(new Reference("Patient/" + patientId));
        c.setCode(new CodeableConcept(new Coding(SNOMED, code, display)));
        c.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
                "active", "Active")));
        var response = http.postJson("/fhir/Condition", c);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private void put(org.hl7.fhir.r4.model.Resource resource) {
        var response = http.putJson("/fhir/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
        assertThat(response.status()).as(response.body()).isIn(200, 201);
    }

    /** A referral to the service with the answers contained, as a GP system sends it. */
    static ServiceRequest referral(String patientId, String service, QuestionnaireResponse answers) {
        ServiceRequest sr = new ServiceRequest();
        sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setSubject(new Reference("Patient/" + patientId));
        sr.addPerformer(new Reference("HealthcareService/" + service));
        sr.setRequester(new Reference("Organization/gp-c82901"));
        if (answers != null) {
            answers.setId("answers");
            sr.addContained(answers);
            sr.addSupportingInfo(new Reference("#answers"));
        }
        return sr;
    }

    /** Answers: linkId, value pairs. */
    static QuestionnaireResponse answers(Object... linkIdValues) {
        QuestionnaireResponse qr = new QuestionnaireResponse();
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        for (int i = 0; i < linkIdValues.length; i += 2) {
            Object v = linkIdValues[i + 1];
            Type value = switch (v) {
                case Boolean b -> new BooleanType(b);
                case Integer n -> new org.hl7.fhir.r4.model.IntegerType(n);
                case LocalDate d -> new DateType(d.toString());
                case Coding c -> c;
                default -> new StringType(v.toString());
            };
            qr.addItem().setLinkId((String) linkIdValues[i]).addAnswer().setValue(value);
        }
        return qr;
    }

    static Coding choice(String code) {
        return new Coding().setCode(code);
    }

    /** Complete answers to the heart failure pathway. */
    static QuestionnaireResponse heartFailureAnswers() {
        return answers("ejection-fraction", 35, "reason", "Breathless on exertion, ankle swelling", "consent", true);
    }
}
