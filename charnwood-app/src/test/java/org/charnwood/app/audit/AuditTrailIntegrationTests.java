package org.charnwood.app.audit;

import org.charnwood.app.security.Requester;
import org.charnwood.app.security.BreakGlassGranted;
import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.TransactionListener;
import org.charnwood.fhir.ChangeMethod;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.ConnectionCallback;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@Import(AuditTestCallers.class)
class AuditTrailIntegrationTests extends CharnwoodIntegrationTest {

    private static final String[] DOCTOR = {"X-Test-User", "Practitioner/dr-1", "X-Test-Roles", "CLINICIAN",
            "X-Test-Client", "ehr-app", "X-Test-Org", "RT5"};

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    AuditLog log;
    @Autowired
    TransactionListener auditListener;
    @Autowired
    FhirRepository repository;

    private long before;

    /** One audit row as the tests compare them. */
    record Seen(String type, String subtype, String action, int outcome, String patients, String purpose) {
    }

    @BeforeEach
    void markTheChain() {
        Long max = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        before = max == null ? 0 : max;
    }

    @Test
    void scriptedSessionProducesExactlyTheExpectedAuditEvents() {
        assertThat(http.putJson("/fhir/Patient/pa-1", patient("pa-1", "Adeyemi"), DOCTOR).status()).isEqualTo(201);
        assertThat(http.putJson("/fhir/Patient/pb-1", patient("pb-1", "Brown"), DOCTOR).status()).isEqualTo(201);
        assertThat(http.postJson("/fhir/Observation", observation("pa-1"), DOCTOR).status()).isEqualTo(201);
        Response obsB = http.postJson("/fhir/Observation", observation("pb-1"), DOCTOR);
        assertThat(obsB.status()).isEqualTo(201);
        String obsBId = obsB.resource(Observation.class).getIdElement().getIdPart();
        assertThat(http.get("/fhir/Patient/pa-1", DOCTOR).status()).isEqualTo(200);
        Bundle searched = http.get("/fhir/Observation?_include=Observation:subject", DOCTOR).bundle();
        assertThat(searched.getEntry()).hasSize(4);
        assertThat(http.putJson("/fhir/Patient/pa-1", patient("pa-1", "Adeyemi-Cole"), DOCTOR).status())
                .isEqualTo(200);
        assertThat(http.patch("/fhir/Patient/pb-1",
                "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]",
                "application/json-patch+json", DOCTOR).status()).isEqualTo(200);
        Response txr = http.post("/fhir", FhirHttp.json(transaction()), "application/fhir+json", DOCTOR);
        assertThat(txr.status()).as(txr.body()).isEqualTo(200);
        assertThat(http.post("/fhir", FhirHttp.json(batch()), "application/fhir+json", DOCTOR).status())
                .isEqualTo(200);
        Response refused = http.postJson("/fhir/AuditEvent", new AuditEvent(), DOCTOR);
        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo("CHARNWOOD-2100");
        assertThat(http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"gender\":\"sometimes\"}",
                "application/fhir+json", DOCTOR).status()).isEqualTo(422);
        assertThat(http.get("/fhir/Patient/nobody", DOCTOR).status()).isEqualTo(404);
        assertThat(http.delete("/fhir/Observation/" + obsBId, DOCTOR).status()).isEqualTo(204);
        assertThat(http.get("/fhir/Patient/pa-1/$everything", DOCTOR).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient/pa-1/_history", DOCTOR).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient/pb-1", concat(DOCTOR, "X-Test-Break-Glass", "grant-7")).status())
                .isEqualTo(200);
        assertThat(http.get("/fhir/metadata", DOCTOR).status()).isEqualTo(200);
        events.publishEvent(new SignInRecorded(Requester.anonymous("10.0.0.9"), "jsmith", false,
                "bad credentials", Instant.now()));
        events.publishEvent(new BreakGlassGranted("grant-7", null, "pb-1", "unconscious in ED",
                Instant.now().plusSeconds(3600), Instant.now()));

        String rest = "http://terminology.hl7.org/CodeSystem/audit-event-type|rest";
        assertThat(recorded()).containsExactlyInAnyOrder(
                new Seen(rest, "create", "C", 0, "pa-1", null),
                new Seen(rest, "create", "C", 0, "pb-1", null),
                new Seen(rest, "create", "C", 0, "pa-1", null),
                new Seen(rest, "create", "C", 0, "pb-1", null),
                new Seen(rest, "read", "R", 0, "pa-1", null),
                new Seen(rest, "search-type", "E", 0, "pa-1,pb-1", null),
                new Seen(rest, "update", "U", 0, "pa-1", null),
                new Seen(rest, "patch", "U", 0, "pb-1", null),
                // the transaction: one event per entry
                new Seen(rest, "create", "C", 0, "pb-1", null),
                new Seen(rest, "create", "C", 0, "pc-1", null),
                // the batch: the entry that worked, and the one that did not
                new Seen(rest, "create", "C", 0, "pa-1", null),
                new Seen(rest, "read", "R", 4, null, null),
                // refusals and failures
                new Seen(rest, "create", "C", 4, null, null),
                new Seen(rest, "create", "C", 4, null, null),
                new Seen(rest, "read", "R", 4, "nobody", null),
                new Seen(rest, "delete", "D", 0, null, null),
                new Seen(rest, "operation", "E", 0, "pa-1", null),
                new Seen(rest, "history-instance", "R", 0, "pa-1", null),
                new Seen(rest, "read", "R", 0, "pb-1", "BTG"),
                new Seen("http://dicom.nema.org/resources/ontology/DCM|110114", "110122", "E", 4, null, null),
                new Seen("http://dicom.nema.org/resources/ontology/DCM|110113", "break-glass", "E", 0, "pb-1", "BTG"));
    }

    @Test
    void everyRecordIsAValidBalpShapedAuditEvent() {
        http.putJson("/fhir/Patient/pa-1", patient("pa-1", "Adeyemi"), DOCTOR);
        http.get("/fhir/Patient?_id=pa-1", DOCTOR);

        List<String> json = jdbc.queryForList("select content from audit.event where seq > ? order by seq",
                String.class, before);
        assertThat(json).hasSize(2);
        var parser = FhirContexts.r4().newJsonParser()
                .setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler());
        AuditEvent create = parser.parseResource(AuditEvent.class, json.get(0));
        AuditEvent search = parser.parseResource(AuditEvent.class, json.get(1));
        assertThat(create.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientCreate");
        AuditEvent.AuditEventAgentComponent user = search.getAgentFirstRep();
        assertThat(user.getRequestor()).isTrue();
        assertThat(user.getWho().getReference()).isEqualTo("Practitioner/dr-1");
        assertThat(user.getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("R8000");
        assertThat(search.getAgent()).anySatisfy(a -> {
            assertThat(a.getWho().getIdentifier().getValue()).isEqualTo("ehr-app");
            assertThat(a.getNetwork().getAddress()).isNotBlank();
        });
        assertThat(search.getAgent()).anySatisfy(a -> assertThat(a.getWho().getIdentifier().getValue()).isEqualTo("RT5"));
        AuditEvent.AuditEventEntityComponent query = search.getEntity().stream()
                .filter(e -> "24".equals(e.getRole().getCode())).findFirst().orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(query.getQueryElement().getValueAsString())))
                .isEqualTo("GET /fhir/Patient?_id=pa-1");
        assertThat(search.getEntity()).anySatisfy(e -> assertThat(e.getWhat().getReference()).isEqualTo("Patient/pa-1"));
    }

    @Test
    void auditEventsAreSearchedFromTheAuditStore() {
        http.putJson("/fhir/Patient/pa-1", patient("pa-1", "Adeyemi"), DOCTOR);
        http.get("/fhir/Patient/pa-1", "X-Test-User", "Patient/pa-1", "X-Test-Kind", "PATIENT");
        http.get("/fhir/Patient/pa-1", concat(DOCTOR, "X-Test-Break-Glass", "grant-9"));

        Bundle forPatient = http.get("/fhir/AuditEvent?patient=Patient/pa-1&_count=50").bundle();
        Bundle othersOnly = http.get("/fhir/AuditEvent?patient=pa-1&_exclude-self=true&_count=50").bundle();
        Bundle byDoctor = http.get("/fhir/AuditEvent?agent=Practitioner/dr-1&action=R&date=ge2020-01-01").bundle();
        Bundle breakGlass = http.get("/fhir/AuditEvent?purpose=BTG").bundle();

        assertThat(forPatient.getEntry()).hasSize(3).anySatisfy(e -> assertThat(
                ((AuditEvent) e.getResource()).getAgentFirstRep().getWho().getReference()).isEqualTo("Patient/pa-1"));
        // The search above names the patient too (BALP: a query about a patient is access to the patient).
        assertThat(othersOnly.getEntry()).hasSize(3).noneSatisfy(e -> assertThat(
                ((AuditEvent) e.getResource()).getAgentFirstRep().getWho().getReference()).isEqualTo("Patient/pa-1"));
        assertThat(byDoctor.getEntry()).isNotEmpty().allSatisfy(e -> assertThat(
                ((AuditEvent) e.getResource()).getAction().toCode()).isEqualTo("R"));
        assertThat(breakGlass.getEntry()).isNotEmpty().allSatisfy(e -> assertThat(
                ((AuditEvent) e.getResource()).getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("BTG"));
        // ...and so does that search itself.
        assertThat(log.accessToPatient("pa-1", true, 50, 0).events()).hasSize(othersOnly.getEntry().size() + 1);
        assertThat(log.breakGlassReviewList(50, 0).events()).isNotEmpty();
        String id = forPatient.getEntryFirstRep().getResource().getIdElement().getIdPart();
        assertThat(http.get("/fhir/AuditEvent/" + id).status()).isEqualTo(200);
        assertThat(rows("fhir_resource")).isEqualTo(1); // nothing audit-related in the clinical store
        assertThat(http.get("/fhir/AuditEvent?name=x").status()).isEqualTo(400);
    }

    @Test
    void auditEventsCannotBeWrittenThroughTheApiInAnyWay() {
        assertThat(http.putJson("/fhir/AuditEvent/1", new AuditEvent()).status()).isEqualTo(405);
        assertThat(http.delete("/fhir/AuditEvent/1").status()).isEqualTo(405);
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        AuditEvent forged = new AuditEvent();
        forged.getType().setCode("rest");
        forged.setRecordedElement(new org.hl7.fhir.r4.model.InstantType("2026-01-01T00:00:00Z"));
        forged.getSource().getObserver().setDisplay("forger");
        forged.addAgent().setRequestor(true);
        tx.addEntry().setResource(forged).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
        Response r = http.post("/fhir", FhirHttp.json(tx), "application/fhir+json");

        assertThat(r.status()).isEqualTo(405);
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void alteringAStoredRowIsDetectedByVerification() {
        http.putJson("/fhir/Patient/pa-1", patient("pa-1", "Adeyemi"), DOCTOR);
        http.get("/fhir/Patient/pa-1", DOCTOR);
        http.get("/fhir/Patient/pa-1", DOCTOR);
        assertThat(log.verify().intact()).isTrue();
        long target = before + 2 <= maxSeq() ? jdbc.queryForObject(
                "select seq from audit.event where seq > ? order by seq offset 1 limit 1", Long.class, before) : 0;
        String original = jdbc.queryForObject("select who from audit.event where seq = ?", String.class, target);

        // A privileged user bypasses the trigger to hide who looked.
        assertThat(updateBypassingTrigger("update audit.event set who = 'Practitioner/someone-else' where seq = " + target))
                .isEqualTo(1);
        ChainVerification broken = log.verify();
        updateBypassingTrigger("update audit.event set who = '" + original + "' where seq = " + target);

        assertThat(broken.intact()).isFalse();
        assertThat(broken.brokenAt()).isEqualTo(target);
        assertThat(log.verify().intact()).isTrue();
        // Through the ordinary path the trigger refuses outright.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> jdbc.update("delete from audit.event where seq = ?", target))
                .rootCause().hasMessageContaining("audit rows cannot be changed");
        assertThat(http.get("/actuator/auditchain").status()).isEqualTo(200);
    }

    @Test
    void aFailedWriteLeavesNoSuccessRecordAndARollbackTakesTheRecordWithIt() throws Exception {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry().setResource(patient("pz-1", "Zed")).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient/pz-1");
        tx.addEntry().setResource(observation("does-not-exist")).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        assertThat(http.post("/fhir", FhirHttp.json(tx), "application/fhir+json", DOCTOR).status()).isEqualTo(422);

        assertThat(recorded()).containsExactly(new Seen("http://terminology.hl7.org/CodeSystem/audit-event-type|rest",
                "transaction", "E", 4, null, null));

        long rowsBefore = rows("audit.event");
        jdbc.execute((ConnectionCallback<Void>) c -> {
            c.setAutoCommit(false);
            auditListener.beforeCommit(c, List.of(new TransactionListener.WrittenResource("Patient", "pr-1", 1,
                    ChangeMethod.CREATE, "{\"resourceType\":\"Patient\",\"id\":\"pr-1\"}")));
            try (Statement st = c.createStatement()) {
                var rs = st.executeQuery("select count(*) from audit.event");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(rowsBefore + 1);
            }
            c.rollback();
            c.setAutoCommit(true);
            return null;
        });
        assertThat(rows("audit.event")).isEqualTo(rowsBefore);
        http.get("/fhir/Patient/pz-1", DOCTOR);
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void parallelRequestsKeepTheChainUnbroken() throws Exception {
        http.putJson("/fhir/Patient/pa-1", patient("pa-1", "Adeyemi"), DOCTOR);
        int threads = 6;
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            done.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < each; i++) {
                    Response r = i % 3 == 0
                            ? http.postJson("/fhir/Observation", observation("pa-1"), DOCTOR)
                            : http.get("/fhir/Patient/pa-1", DOCTOR);
                    ok += r.status() < 300 ? 1 : 0;
                }
                return ok + n * 0;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : done) {
            ok += f.get();
        }
        pool.shutdown();

        assertThat(ok).isEqualTo(threads * each);
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ?", Long.class, before))
                .isEqualTo(1L + threads * each);
        ChainVerification verification = log.verify();
        assertThat(verification.intact()).as(verification.describe()).isTrue();
    }

    private long maxSeq() {
        Long max = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        return max == null ? 0 : max;
    }

    private int updateBypassingTrigger(String sql) {
        return jdbc.execute((ConnectionCallback<Integer>) c -> {
            try (Statement st = c.createStatement()) {
                st.execute("set session_replication_role = replica");
                try {
                    return st.executeUpdate(sql);
                } finally {
                    st.execute("set session_replication_role = default");
                }
            }
        });
    }

    private List<Seen> recorded() {
        return jdbc.query("select type, subtype, action, outcome, patients, purpose from audit.event where seq > ?"
                        + " order by seq",
                (rs, i) -> new Seen(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), rs.getString(6)), before);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Patient patient(String id, String family) {
        Patient p = new Patient();
        p.setId(id);
        p.addName(new HumanName().setFamily(family));
        return p;
    }

    private static Observation observation(String patientId) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        o.setSubject(new Reference("Patient/" + patientId));
        return o;
    }

    private static Bundle transaction() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        b.addEntry().setResource(observation("pb-1")).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        b.addEntry().setResource(patient("pc-1", "Chen")).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient/pc-1");
        return b;
    }

    private static Bundle batch() {
        Bundle b = new Bundle().setType(Bundle.BundleType.BATCH);
        b.addEntry().setResource(observation("pa-1")).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        b.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/nobody");
        return b;
    }
}
