package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.breakglass.DemoEmergencyAccess;
import org.charnwood.app.security.oauth.DemoMode;
import org.charnwood.app.security.web.SecuritySettings;
import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.TrustShape;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RedactedFailure;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo profile's well-known accounts (listed in the README): one member of staff per access role, each
 * clinical one linked to a demo practitioner whose team holds a caseload, three patients linked to demo
 * patients, and a carer. Demo accounts skip the second factor, except {@code demo.totp}, which shows it with a
 * published secret. They are never asked to choose a new password: their shared password is documented, and the
 * account command will not give them another. Created only in demo mode, after the demo data is loaded; never
 * with the production profile.
 */
@Component
class DemoAccounts {

    static final String PASSWORD = "charnwood-demo";
    /** The published TOTP secret of the {@code demo.totp} account: demo use only. */
    static final String DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    /**
     * The ids of every account {@link #create()} makes (kept in step with it), so that a start outside demo mode
     * can find and disable them ({@link LeftoverDemoAccounts}).
     */
    static final List<String> ACCOUNT_IDS = DemoAccountIds.ALL;
    private static final Logger log = LoggerFactory.getLogger(DemoAccounts.class);
    private static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private final AccountStore accounts;
    private final PasswordEncoder passwords;
    private final SecuritySettings settings;
    private final Environment environment;
    private final FhirRepository repository;
    private final DemoEmergencyAccess emergencyAccess;

    DemoAccounts(AccountStore accounts, PasswordEncoder passwords, SecuritySettings settings, Environment environment,
                 FhirRepository repository, DemoEmergencyAccess emergencyAccess) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.settings = settings;
        this.environment = environment;
        this.repository = repository;
        this.emergencyAccess = emergencyAccess;
    }

    @EventListener(ApplicationReadyEvent.class)
    void create() {
        if (!DemoMode.active(environment, settings)) {
            return;
        }
        if (accounts.byId("demo-nurse") != null) {
            // Back in demo mode after a start outside it, which disabled them.
            accounts.setEnabled(ACCOUNT_IDS, true);
            return;
        }
        String hash = passwords.encode(PASSWORD);
        Map<AccessRole, String[]> staff = new LinkedHashMap<>();
        staff.put(AccessRole.CLINICIAN, new String[]{"demo.clinician", "R8000"});
        staff.put(AccessRole.REGISTERED_NURSE, new String[]{"demo.nurse", "R8001"});
        staff.put(AccessRole.NURSE_MANAGER, new String[]{"demo.nursemanager", "R8002"});
        staff.put(AccessRole.HEALTH_PROFESSIONAL, new String[]{"demo.therapist", "R8003"});
        staff.put(AccessRole.HEALTH_CARE_ASSISTANT, new String[]{"demo.hca", "R8008"});
        // The demo teams have no clerks of their own: the second healthcare assistant in team order stands in as one,
        // so that the booking office has a team, and with it that team's patients (decision 22).
        staff.put(AccessRole.ADMIN_BOOKING, new String[]{"demo.booking", "R8008#1"});
        staff.put(AccessRole.ANALYST, new String[]{"demo.analyst", null});
        staff.put(AccessRole.INFORMATION_GOVERNANCE, new String[]{"demo.ig", null});
        staff.put(AccessRole.SYSTEM_ADMINISTRATOR, new String[]{"demo.sysadmin", null});
        TrustShape trust = BundleWriter.forStandardTrust().trust();
        for (var e : staff.entrySet()) {
            String username = e.getValue()[0];
            String practitioner = e.getValue()[1] == null ? null : practitionerFor(trust, e.getValue()[1]);
            accounts.save(new Account("demo-" + username.substring(5), username, Requester.Kind.STAFF,
                    "Demo " + e.getKey().rbacDisplay(), hash, practitioner, null, null, Set.of(e.getKey()),
                    TrustShape.TRUST_ODS_CODE, null, false, 0, null, true));
        }
        accounts.save(new Account("demo-totp", "demo.totp", Requester.Kind.STAFF, "Demo nurse with a second factor",
                hash, practitionerFor(trust, "R8001"), null, null, Set.of(AccessRole.REGISTERED_NURSE),
                TrustShape.TRUST_ODS_CODE, DEMO_TOTP_SECRET, true, 0, null, true));
        // Bank staff for the shift app: the rostering module puts these practitioners on the staff bank.
        accounts.save(new Account("demo-bank", "demo.bank", Requester.Kind.STAFF, "Demo bank staff nurse", hash,
                "Practitioner/bank-001", null, null, Set.of(AccessRole.REGISTERED_NURSE), TrustShape.TRUST_ODS_CODE,
                null, false, 0, null, true));
        accounts.save(new Account("demo-bankhca", "demo.bankhca", Requester.Kind.STAFF,
                "Demo bank healthcare assistant", hash, "Practitioner/bank-002", null, null,
                Set.of(AccessRole.HEALTH_CARE_ASSISTANT), TrustShape.TRUST_ODS_CODE, null, false, 0, null, true));
        List<Patient> patients = firstPatients(3);
        for (int i = 0; i < patients.size(); i++) {
            Patient p = patients.get(i);
            String id = p.getIdElement().getIdPart();
            String nhsNumber = p.getIdentifier().stream().filter(x -> NHS_NUMBER_SYSTEM.equals(x.getSystem()))
                    .map(Identifier::getValue).findFirst().orElse(null);
            accounts.save(new Account("demo-patient" + (i + 1), "demo.patient" + (i + 1), Requester.Kind.PATIENT,
                    p.getNameFirstRep().getNameAsSingleString(), hash, "Patient/" + id, id, nhsNumber, Set.of(),
                    null, null, false, 0, null, true));
        }
        if (!patients.isEmpty()) {
            String cared = patients.get(0).getIdElement().getIdPart();
            accounts.save(new Account("demo-carer", "demo.carer", Requester.Kind.CARER, "Demo carer", hash,
                    "RelatedPerson/demo-carer-1", cared, null, Set.of(), null, null, false, 0, null, true));
            recordProxyAccess(cared);
        }
        if (patients.size() > 2) {
            // Something for the demo information governance officer to review, and for demo.patient3 to see.
            Account clinician = accounts.byId("demo-clinician");
            emergencyAccess.open(clinician.id(), clinician.fhirUser(), TrustShape.TRUST_ODS_CODE,
                    patients.get(2).getIdElement().getIdPart());
        }
        log.info("Created the demo accounts (see README); password for all: the published demo password");
    }

    /**
     * The demo carer as the record knows them: a RelatedPerson of the first demo patient, and the patient's consent
     * to proxy access (appointments, care plans, medication and observations), which the access policy reads.
     */
    private void recordProxyAccess(String patientId) {
        org.hl7.fhir.r4.model.RelatedPerson carer = new org.hl7.fhir.r4.model.RelatedPerson();
        carer.setId("demo-carer-1");
        carer.setActive(true);
        carer.setPatient(new org.hl7.fhir.r4.model.Reference("Patient/" + patientId));
        carer.addRelationship().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode")
                .setCode("FAMMEMB").setDisplay("family member");
        carer.addName().setFamily("Carer").addGiven("Demo");
        org.hl7.fhir.r4.model.Consent consent = new org.hl7.fhir.r4.model.Consent();
        consent.setStatus(org.hl7.fhir.r4.model.Consent.ConsentState.ACTIVE);
        consent.setScope(new org.hl7.fhir.r4.model.CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
        consent.addCategory().addCoding().setSystem("http://loinc.org").setCode("59284-0").setDisplay("Consent Document");
        consent.setPatient(new org.hl7.fhir.r4.model.Reference("Patient/" + patientId));
        consent.setDateTime(new java.util.Date());
        consent.getPolicyRule().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("OPTIN");
        var provision = consent.getProvision();
        provision.setType(org.hl7.fhir.r4.model.Consent.ConsentProvisionType.PERMIT);
        provision.addActor().setReference(new org.hl7.fhir.r4.model.Reference("RelatedPerson/demo-carer-1"))
                .getRole().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode").setCode("PROV");
        for (String type : List.of("Patient", "Appointment", "CarePlan", "MedicationRequest", "Observation")) {
            provision.addClass_().setSystem("http://hl7.org/fhir/resource-types").setCode(type);
        }
        try {
            repository.inTransaction(session -> {
                session.update("RelatedPerson", "demo-carer-1", carer, null);
                session.create(consent);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Demo carer's proxy access not recorded: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * The first member of staff with this national RBAC role, in team order: their team holds a caseload.
     * {@code R8008#1} is the second such member, and so on.
     */
    static String practitionerFor(TrustShape trust, String rbacCode) {
        int hash = rbacCode.indexOf('#');
        int skip = hash < 0 ? 0 : Integer.parseInt(rbacCode.substring(hash + 1));
        String code = hash < 0 ? rbacCode : rbacCode.substring(0, hash);
        for (TrustShape.Team team : trust.teams()) {
            for (TrustShape.StaffMember member : team.staff()) {
                if (member.role().jobRole().code().equals(code) && skip-- == 0) {
                    return "Practitioner/" + member.practitionerId();
                }
            }
        }
        return null;
    }

    private List<Patient> firstPatients(int count) {
        List<Patient> result = new ArrayList<>();
        try {
            var page = repository.search(new SearchRequest("Patient", Map.of("_count", List.of(String.valueOf(count)),
                    "_sort", List.of("_id")), false));
            for (StoredResource r : page.matches()) {
                result.add(r.parse(Patient.class));
            }
        } catch (RuntimeException e) {
            log.warn("No demo patients found for the demo patient accounts: {}", RedactedFailure.summary(e));
        }
        return result;
    }
}
