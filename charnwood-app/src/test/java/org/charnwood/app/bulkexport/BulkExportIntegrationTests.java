package org.charnwood.app.bulkexport;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.HeldWrite;
import org.charnwood.app.testing.TestKeys;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** FHIR Bulk Data export over HTTP: kick-off, status, manifest, NDJSON files, cancelling, refusals and audit. */
class BulkExportIntegrationTests extends CharnwoodIntegrationTest {

    private static final String ASYNC = "Prefer";

    @Autowired
    FhirRepository repository;

    @Autowired
    ExportJobs jobs;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    private final ObjectMapper json = new ObjectMapper();
    private final String tag = "bx" + UUID.randomUUID().toString().substring(0, 6);
    private Instant before;
    private FhirHttp backend;

    @BeforeEach
    void someRecordsChangeAfterAMoment() throws InterruptedException {
        before = Instant.now();
        Thread.sleep(5);
        backend = http.as(tokens.bearer(TestTokens.Caller.system("system/*.rs")));
        for (int p = 1; p <= 3; p++) {
            Patient patient = new Patient();
            patient.setId(tag + "-p" + p);
            patient.addName(new HumanName().setFamily("Export" + p));
            put(patient);
            for (int o = 1; o <= p; o++) {
                put(reading(tag + "-o" + p + "-" + o, tag + "-p" + p));
            }
        }
    }

    private void put(Resource resource) {
        repository.inTransaction(s -> s.update(resource.fhirType(), resource.getIdElement().getIdPart(), resource,
                null));
    }

    private String kickOff(FhirHttp client, String path) {
        FhirHttp.Response started = client.get(path, ASYNC, "respond-async");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String location = started.header("Content-Location");
        assertThat(location).contains("/fhir/$export-poll-status?_jobId=");
        return location.substring(location.indexOf("/fhir/"));
    }

    private JsonNode manifest(FhirHttp client, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            FhirHttp.Response r = client.get(status);
            if (r.status() == 200) {
                assertThat(r.header("Content-Type")).startsWith("application/json");
                return json.readTree(r.body());
            }
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.header("X-Progress")).isNotBlank();
            Thread.sleep(100);
        }
        throw new AssertionError("the export did not finish within 60 s");
    }

    /** Type → ids of the resources in the manifest's files, fetched as the client would. */
    private Map<String, List<String>> fetch(FhirHttp client, JsonNode manifest) {
        Map<String, List<String>> found = new java.util.TreeMap<>();
        for (JsonNode output : manifest.get("output")) {
            String url = output.get("url").asString();
            FhirHttp.Response file = client.get(url.substring(url.indexOf("/fhir/")), "Accept",
                    "application/fhir+ndjson");
            assertThat(file.status()).as(file.body()).isEqualTo(200);
            assertThat(file.header("Content-Type")).startsWith("application/fhir+ndjson");
            String[] lines = file.body().split("\n");
            assertThat(lines).hasSize(output.get("count").asInt());
            for (String line : lines) {
                Resource r = (Resource) FhirContexts.r4().newJsonParser().parseResource(line);
                assertThat(r.fhirType()).isEqualTo(output.get("type").asString());
                found.computeIfAbsent(r.fhirType(), k -> new ArrayList<>()).add(r.getIdElement().getIdPart());
            }
        }
        return found;
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Only the resources this test wrote. */
    private Map<String, List<String>> ours(Map<String, List<String>> exported) {
        Map<String, List<String>> ours = new java.util.TreeMap<>();
        exported.forEach((type, ids) -> ours.put(type, ids.stream().filter(id -> id.startsWith(tag)).toList()));
        return ours;
    }

    @Test
    void aSystemExportOfWhatChangedSinceGivesAManifestAndNdjsonFilesAndIsAudited() throws Exception {
        long auditBefore = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        String status = kickOff(backend, "/fhir/$export?_type=Patient,Observation&_since=" + before
                + "&_outputFormat=application/fhir%2Bndjson");
        JsonNode manifest = manifest(backend, status);

        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.get("request").asString()).contains("/fhir/$export?_type=Patient,Observation");
        assertThat(Instant.parse(manifest.get("transactionTime").asString())).isAfter(before);
        assertThat(manifest.get("error")).isEmpty();
        // Other work may have written since too: what this test wrote must be there, all of it.
        Map<String, List<String>> exported = ours(fetch(backend, manifest));
        assertThat(exported.get("Patient")).containsExactlyInAnyOrder(tag + "-p1", tag + "-p2", tag + "-p3");
        assertThat(exported.get("Observation")).hasSize(6);

        // The kick-off and each file fetched are Export events; a file's names the patients whose data it held.
        List<Map<String, Object>> exports = jdbc.queryForList("select subtype, action, patients from audit.event"
                + " where seq > ? and type = 'http://dicom.nema.org/resources/ontology/DCM|110106' order by seq",
                auditBefore);
        assertThat(exports).hasSize(3);
        assertThat(exports.get(0).get("patients")).isNull();
        for (Map<String, Object> file : exports.subList(1, 3)) {
            assertThat(List.of(((String) file.get("patients")).split(",")))
                    .contains(tag + "-p1", tag + "-p2", tag + "-p3");
        }
        assertThat(exports).allSatisfy(e -> assertThat(e.get("action")).isEqualTo("R"));
    }

    @Test
    void aWriteStampedBeforeTheKickOffButCommittedAfterItIsInTheNextExportSinceTransactionTime() throws Exception {
        Patient late = new Patient();
        late.setId(tag + "-late");
        late.addName(new HumanName().setFamily("Late"));
        // Stamps are whole milliseconds: the records written before must not share the open write's millisecond.
        Thread.sleep(5);
        JsonNode first;
        try (HeldWrite held = HeldWrite.start(repository, late)) {
            first = manifest(backend, kickOff(backend, "/fhir/$export?_type=Patient&_since=" + before));
            held.commit();
        }
        String transactionTime = first.get("transactionTime").asString();

        JsonNode next = manifest(backend, kickOff(backend, "/fhir/$export?_type=Patient&_since="
                + enc(transactionTime)));

        assertThat(ours(fetch(backend, first)).get("Patient")).containsExactlyInAnyOrder(tag + "-p1", tag + "-p2",
                tag + "-p3");
        assertThat(ours(fetch(backend, next)).get("Patient")).containsExactly(tag + "-late");
    }

    @Test
    void aGroupExportHoldsOnlyItsActiveMembersData() throws Exception {
        Group group = new Group();
        group.setId(tag + "-g");
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p2"));
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p3")).setInactive(true);
        put(group);

        JsonNode manifest = manifest(backend, kickOff(backend, "/fhir/Group/" + tag + "-g/$export?_since=" + before
                + "&_type=Patient,Observation"));

        Map<String, List<String>> exported = fetch(backend, manifest);
        assertThat(exported.get("Patient")).containsExactly(tag + "-p2");
        assertThat(exported.get("Observation")).containsExactlyInAnyOrder(tag + "-o2-1", tag + "-o2-2");
    }

    @Test
    void patientAndGroupExportsHoldOnlyTheInstancesOutsideTheCompartmentThatTheirRecordsReferTo() throws Exception {
        for (String id : List.of("-pr1", "-pr2", "-pr3")) {
            org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
            practitioner.setId(tag + id);
            practitioner.addName(new HumanName().setFamily("Clinician" + id));
            put(practitioner);
        }
        org.hl7.fhir.r4.model.Organization trust = new org.hl7.fhir.r4.model.Organization();
        trust.setId(tag + "-org");
        trust.setName("Export Test Trust");
        put(trust);
        Observation byFirst = reading(tag + "-o2-1", tag + "-p2");
        byFirst.addPerformer(new Reference("Practitioner/" + tag + "-pr1"));
        put(byFirst);
        Observation byThird = reading(tag + "-o3-1", tag + "-p3");
        byThird.addPerformer(new Reference("Practitioner/" + tag + "-pr3/_history/1"));
        put(byThird);
        Patient managed = new Patient();
        managed.setId(tag + "-p2");
        managed.addName(new HumanName().setFamily("Export2"));
        managed.setManagingOrganization(new Reference("Organization/" + tag + "-org"));
        put(managed);
        Group group = new Group();
        group.setId(tag + "-g");
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p2"));
        put(group);

        Map<String, List<String>> ofGroup = ours(fetch(backend, manifest(backend, kickOff(backend, "/fhir/Group/"
                + tag + "-g/$export?_type=Patient,Observation,Practitioner,Organization&_since=" + before))));
        Map<String, List<String>> ofPatients = ours(fetch(backend, manifest(backend, kickOff(backend,
                "/fhir/Patient/$export?_type=Observation,Practitioner,Organization&_since=" + before))));
        Map<String, List<String>> ofSystem = ours(fetch(backend, manifest(backend, kickOff(backend,
                "/fhir/$export?_type=Practitioner,Organization&_since=" + before))));
        Map<String, List<String>> practitionersAlone = ours(fetch(backend, manifest(backend, kickOff(backend,
                "/fhir/Group/" + tag + "-g/$export?_type=Practitioner&_since=" + before))));

        assertThat(ofGroup.get("Practitioner")).containsExactly(tag + "-pr1");
        assertThat(ofGroup.get("Organization")).containsExactly(tag + "-org");
        assertThat(ofPatients.get("Practitioner")).containsExactlyInAnyOrder(tag + "-pr1", tag + "-pr3");
        // Only the Patient refers to the trust, and Patient was not exported.
        assertThat(ofPatients.getOrDefault("Organization", List.of())).isEmpty();
        assertThat(ofSystem.get("Practitioner")).containsExactlyInAnyOrder(tag + "-pr1", tag + "-pr2",
                tag + "-pr3");
        assertThat(ofSystem.get("Organization")).containsExactly(tag + "-org");
        assertThat(practitionersAlone.getOrDefault("Practitioner", List.of())).isEmpty();
    }

    @Test
    void aGroupExportHoldsTheMembersOfItsPeriodsAtTheTransactionTimeAndRefusesMembersThatAreNotPatients()
            throws Exception {
        org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
        practitioner.setId(tag + "-pr");
        put(practitioner);
        Group group = new Group();
        group.setId(tag + "-g");
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p1")).getPeriod()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2020-01-01"));
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p2")).getPeriod()
                .setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2021-06-30"));
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p3")).getPeriod()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2999-01-01"));
        group.addMember().setEntity(new Reference("Practitioner/" + tag + "-pr")).setInactive(true);
        put(group);
        Group withPractitioner = new Group();
        withPractitioner.setId(tag + "-gp");
        withPractitioner.setType(Group.GroupType.PERSON);
        withPractitioner.setActual(true);
        withPractitioner.addMember().setEntity(new Reference("Patient/" + tag + "-p1"));
        withPractitioner.addMember().setEntity(new Reference("Practitioner/" + tag + "-pr"));
        put(withPractitioner);
        Group nested = new Group();
        nested.setId(tag + "-gn");
        nested.setType(Group.GroupType.PERSON);
        nested.setActual(true);
        nested.addMember().setEntity(new Reference("Group/" + tag + "-g"));
        put(nested);

        Map<String, List<String>> exported = fetch(backend, manifest(backend, kickOff(backend, "/fhir/Group/"
                + tag + "-g/$export?_type=Patient,Observation&_since=" + before)));
        FhirHttp.Response practitionerMember = backend.get("/fhir/Group/" + tag + "-gp/$export", ASYNC,
                "respond-async");
        FhirHttp.Response groupMember = backend.get("/fhir/Group/" + tag + "-gn/$export", ASYNC, "respond-async");

        assertThat(exported.get("Patient")).containsExactly(tag + "-p1");
        assertThat(exported.get("Observation")).containsExactly(tag + "-o1-1");
        assertThat(practitionerMember.status()).isEqualTo(400);
        assertThat(practitionerMember.outcome().getIssueFirstRep().getDiagnostics())
                .contains("Practitioner/" + tag + "-pr");
        assertThat(groupMember.status()).isEqualTo(400);
        assertThat(groupMember.outcome().getIssueFirstRep().getDiagnostics()).contains("Group/" + tag + "-g");
    }

    @Test
    void aPatientLevelExportWithoutTypesCoversThePatientCompartmentTheClientMayRead() throws Exception {
        FhirHttp observationsOnly = http.as(tokens.bearer(TestTokens.Caller.system("system/Observation.rs")));

        JsonNode manifest = manifest(observationsOnly,
                kickOff(observationsOnly, "/fhir/Patient/$export?_since=" + before));

        assertThat(manifest.get("request").asString()).contains("/fhir/Patient/$export");
        Map<String, List<String>> exported = fetch(observationsOnly, manifest);
        assertThat(exported).containsOnlyKeys("Observation");
        assertThat(ours(exported).get("Observation")).hasSize(6);
    }

    @Test
    void typeFiltersNarrowATypeToResourcesMatchingAnyOfThem() throws Exception {
        String p1 = enc("Observation?subject=Patient/" + tag + "-p1");
        String p3 = enc("Observation?subject=Patient/" + tag + "-p3");

        JsonNode manifest = manifest(backend, kickOff(backend, "/fhir/$export?_type=Patient,Observation&_since="
                + before + "&_typeFilter=" + p1 + "," + p3));

        Map<String, List<String>> exported = fetch(backend, manifest);
        assertThat(exported.get("Observation")).containsExactlyInAnyOrder(tag + "-o1-1", tag + "-o3-1",
                tag + "-o3-2", tag + "-o3-3");
        assertThat(ours(exported).get("Patient")).hasSize(3);
    }

    @Test
    void aTypeFilterCannotWidenWhatTheClientsOwnScopeFilters() throws Exception {
        FhirHttp patient3Only = http.as(tokens.bearer(TestTokens.Caller.system("system/Observation.rs?subject=Patient/"
                + tag + "-p3")));
        String p1OrP3 = enc("Observation?subject=Patient/" + tag + "-p1")
                + "," + enc("Observation?subject=Patient/" + tag + "-p3");

        JsonNode manifest = manifest(patient3Only, kickOff(patient3Only, "/fhir/$export?_type=Observation&_since="
                + before
                + "&_typeFilter=" + p1OrP3));

        assertThat(fetch(patient3Only, manifest).get("Observation")).containsExactlyInAnyOrder(tag + "-o3-1",
                tag + "-o3-2", tag + "-o3-3");
    }

    @Test
    void aPostKickOffTakesParametersAndCanNameThePatients() throws Exception {
        org.hl7.fhir.r4.model.Parameters asked = new org.hl7.fhir.r4.model.Parameters();
        asked.addParameter().setName("_type").setValue(new org.hl7.fhir.r4.model.StringType("Observation"));
        asked.addParameter().setName("_since").setValue(new org.hl7.fhir.r4.model.InstantType(
                java.util.Date.from(before), ca.uhn.fhir.model.api.TemporalPrecisionEnum.MILLI,
                java.util.TimeZone.getTimeZone("UTC")));
        asked.addParameter().setName("patient").setValue(new Reference("Patient/" + tag + "-p2"));
        String body = FhirContexts.r4().newJsonParser().encodeResourceToString(asked);

        FhirHttp.Response started = backend.post("/fhir/Patient/$export", body, "application/fhir+json", ASYNC,
                "respond-async");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String location = started.header("Content-Location");
        JsonNode manifest = manifest(backend, location.substring(location.indexOf("/fhir/")));
        FhirHttp.Response systemWide = backend.post("/fhir/$export", body, "application/fhir+json", ASYNC,
                "respond-async");

        assertThat(fetch(backend, manifest).get("Observation")).containsExactlyInAnyOrder(tag + "-o2-1",
                tag + "-o2-2");
        assertThat(systemWide.status()).isEqualTo(400);
        assertThat(systemWide.outcome().getIssueFirstRep().getDiagnostics()).contains("patient");
    }

    @Test
    void typeFiltersThatCannotRunOrNameAnotherTypeAreRefused() {
        FhirHttp.Response unknownParameter = backend.get("/fhir/$export?_type=Observation&_typeFilter="
                + enc("Observation?nonsense=1"),
                ASYNC, "respond-async");
        FhirHttp.Response otherType = backend.get("/fhir/$export?_type=Observation&_typeFilter="
                + enc("Condition?clinical-status=active"),
                ASYNC, "respond-async");
        FhirHttp.Response paging = backend.get("/fhir/$export?_type=Observation&_typeFilter="
                + enc("Observation?_count=5"),
                ASYNC, "respond-async");

        assertThat(unknownParameter.status()).isEqualTo(400);
        assertThat(unknownParameter.outcome().getIssueFirstRep().getDiagnostics()).contains("nonsense");
        assertThat(otherType.status()).isEqualTo(400);
        assertThat(paging.status()).isEqualTo(400);
        assertThat(paging.outcome().getIssueFirstRep().getDiagnostics()).contains("_count");
    }

    @Test
    void filesAreSplitAtTheirSizeAndEachNamesItsOwnPatients() throws Exception {
        ExportRunner small = new ExportRunner(jobs, repository, Clock.systemUTC(), 4, Duration.ofHours(1));
        try {
            ExportJob job = new ExportJob(UUID.randomUUID(), new ExportJob.Owner("split-test", "split-test", null,
                    List.of("system/*.rs")), "system", null, List.of("Observation"),
                    before, "test", "accepted", Instant.now(), 0, null, null, null);
            AccessScope ourPatients = AccessScope.UNRESTRICTED.withPatients(
                    java.util.Set.of(tag + "-p1", tag + "-p2", tag + "-p3"), java.util.Set.of(), java.util.Set.of());
            small.submit(new ExportRunner.Plan(job, Map.of("Observation", ourPatients)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!jobs.find(job.id(), "split-test").orElseThrow().finished() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(jobs.find(job.id(), "split-test").orElseThrow().status()).isEqualTo("completed");
            assertThat(jobs.files(job.id())).extracting(ExportJob.File::count).containsExactly(4, 2);
            ExportJob.Content first = jobs.content(job.id(), "split-test", 1).orElseThrow();
            ExportJob.Content second = jobs.content(job.id(), "split-test", 2).orElseThrow();
            assertThat(first.ndjson().lines()).hasSize(4);
            assertThat(second.patients()).containsExactly(tag + "-p3");
            assertThat(jobs.content(job.id(), "someone-else", 1)).isEmpty();
        } finally {
            small.close();
        }
    }

    @Test
    void aCancelledExportIsGoneWithItsFilesAndOtherClientsCannotSeeAJob() throws Exception {
        String status = kickOff(backend, "/fhir/$export?_type=Patient&_since=" + before);
        manifest(backend, status);
        UUID id = UUID.fromString(status.substring(status.indexOf("_jobId=") + 7));
        String ours = jdbc.queryForObject("select client from bulk_export_job where id = ?", String.class, id);
        jdbc.update("update bulk_export_job set client = 'another-client' where id = ?", id);
        FhirHttp.Response otherClients = backend.get(status);
        FhirHttp.Response otherClientsFile = backend.get("/fhir/$export-file?_jobId=" + id + "&_file=1");
        FhirHttp.Response otherClientsCancel = backend.delete(status);
        int filesAfterOthersCancel = jdbc.queryForObject("select count(*) from bulk_export_file where job = ?",
                Integer.class, id);
        jdbc.update("update bulk_export_job set client = ? where id = ?", ours, id);

        FhirHttp.Response cancelled = backend.delete(status);
        FhirHttp.Response afterwards = backend.get(status);
        FhirHttp.Response file = backend.get("/fhir/$export-file?_jobId=" + id + "&_file=1");

        assertThat(otherClients.status()).isEqualTo(404);
        assertThat(otherClientsFile.status()).isEqualTo(404);
        assertThat(otherClientsCancel.status()).isEqualTo(404);
        assertThat(filesAfterOthersCancel).as("another client's cancel removes nothing").isPositive();
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
        assertThat(afterwards.status()).isEqualTo(404);
        assertThat(file.status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from bulk_export_file where job = ?", Integer.class, id))
                .isZero();
    }

    @Test
    void aFailedExportAnswersItsStatusWithTheReason() {
        String status = kickOff(backend, "/fhir/$export?_type=Patient&_since=" + before);
        UUID id = UUID.fromString(status.substring(status.indexOf("_jobId=") + 7));
        jdbc.update("update bulk_export_job set status = 'failed', error = 'The export failed on the server'"
                + " where id = ?", id);

        FhirHttp.Response failed = backend.get(status);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.outcome().getIssueFirstRep().getDiagnostics()).isEqualTo("The export failed on the server");
    }

    @Test
    void housekeepingFailsJobsWhoseServerStoppedAndRemovesExpiredOnes() {
        UUID stale = UUID.randomUUID();
        UUID expired = UUID.randomUUID();
        UUID alive = UUID.randomUUID();
        for (UUID id : List.of(stale, expired, alive)) {
            jdbc.update("insert into bulk_export_job (id, client, level, types, request, status, transaction_time,"
                    + " created, heartbeat) values (?, 'housekeeping-test', 'system', '{Patient}', 'test', 'running',"
                    + " now(), now(), now())", id);
        }
        jdbc.update("update bulk_export_job set heartbeat = now() - interval '11 minutes' where id = ?", stale);
        jdbc.update("update bulk_export_job set status = 'completed', expires = now() - interval '1 second'"
                + " where id = ?", expired);
        ExportRunner runner = new ExportRunner(jobs, repository, Clock.systemUTC(), 10, Duration.ofHours(1));
        try {
            runner.housekeep();
        } finally {
            runner.close();
        }

        ExportJob failed = jobs.find(stale, "housekeeping-test").orElseThrow();
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).contains("stopped");
        assertThat(jobs.find(expired, "housekeeping-test")).isEmpty();
        assertThat(jobs.find(alive, "housekeeping-test").orElseThrow().status()).isEqualTo("running");
        jdbc.update("delete from bulk_export_job where client = 'housekeeping-test'");
    }

    @Test
    void anExportPastItsExpiryIsGoneWithItsFilesBeforeHousekeepingClearsItAway() throws Exception {
        String status = kickOff(backend, "/fhir/$export?_type=Patient&_since=" + before);
        JsonNode manifest = manifest(backend, status);
        UUID id = UUID.fromString(status.substring(status.indexOf("_jobId=") + 7));
        String file = manifest.get("output").get(0).get("url").asString();
        assertThat(backend.get(file.substring(file.indexOf("/fhir/"))).status()).isEqualTo(200);

        jdbc.update("update bulk_export_job set expires = ? where id = ?",
                java.sql.Timestamp.from(clock.instant().minusSeconds(1)), id);

        assertThat(backend.get(status).status()).isEqualTo(404);
        assertThat(backend.get(file.substring(file.indexOf("/fhir/"))).status()).isEqualTo(404);
        assertThat(backend.delete(status).status()).isEqualTo(404);
    }

    @Test
    void withHandlingLenientUnsupportedParametersAreLeftOutAndSaidSoRatherThanRefused() throws Exception {
        // Each preference in a Prefer header of its own, as HTTP allows.
        FhirHttp.Response started = backend.get("/fhir/$export?_type=Patient&_elements=id&includeAssociatedData="
                + "LatestProvenanceResources&_since=" + before, ASYNC, "respond-async", ASYNC, "handling=lenient");
        FhirHttp.Response strict = backend.get("/fhir/$export?_type=Patient&_elements=id", ASYNC,
                "respond-async");

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        List<String> said = started.outcome().getIssue().stream().map(i -> i.getDiagnostics()).toList();
        assertThat(said).anySatisfy(d -> assertThat(d).contains("_elements").contains("left out"));
        assertThat(said).anySatisfy(d -> assertThat(d).contains("includeAssociatedData").contains("left out"));
        assertThat(started.outcome().getMeta().getTag()).as("not trimmed by the _elements left out").isEmpty();
        String location = started.header("Content-Location");
        JsonNode manifest = manifest(backend, location.substring(location.indexOf("/fhir/")));
        assertThat(ours(fetch(backend, manifest)).get("Patient")).containsExactlyInAnyOrder(tag + "-p1",
                tag + "-p2", tag + "-p3");
        assertThat(strict.status()).isEqualTo(400);
    }

    @Test
    void badKickOffsAreRefusedWithWhatToFix() {
        FhirHttp.Response notAsync = backend.get("/fhir/$export");
        FhirHttp.Response unknownParameter = backend.get("/fhir/$export?_elements=id", ASYNC, "respond-async");
        FhirHttp.Response badSince = backend.get("/fhir/$export?_since=yesterday", ASYNC, "respond-async");
        FhirHttp.Response badFormat = backend.get("/fhir/$export?_outputFormat=text/csv", ASYNC, "respond-async");
        FhirHttp.Response badType = backend.get("/fhir/$export?_type=Patient,Nonsense", ASYNC, "respond-async");
        FhirHttp.Response notGranted = http.as(tokens.bearer(TestTokens.Caller.system("system/Patient.rs")))
                .get("/fhir/$export?_type=Observation", ASYNC, "respond-async");
        FhirHttp.Response staff = http.as(tokens.bearer(TestTokens.Caller.staff("Practitioner/bx-analyst",
                AccessRole.ANALYST))).get("/fhir/$export", ASYNC, "respond-async");
        FhirHttp.Response nobody = http.anonymous().get("/fhir/$export", ASYNC, "respond-async");
        FhirHttp.Response noGroup = backend.get("/fhir/Group/" + tag + "-none/$export", ASYNC, "respond-async");

        assertThat(notAsync.status()).isEqualTo(400);
        assertThat(notAsync.outcome().getIssueFirstRep().getDiagnostics()).contains("Prefer: respond-async");
        assertThat(unknownParameter.status()).isEqualTo(400);
        assertThat(unknownParameter.outcome().getIssueFirstRep().getDiagnostics()).contains("_elements");
        assertThat(badSince.status()).isEqualTo(400);
        assertThat(badFormat.status()).isEqualTo(400);
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.outcome().getIssueFirstRep().getDiagnostics()).contains("Nonsense");
        assertThat(notGranted.status()).isEqualTo(403);
        assertThat(staff.status()).isEqualTo(403);
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(noGroup.status()).isEqualTo(404);
    }

    @Test
    void onlyTheRequesterWhoStartedAnExportWithTheSameOrBroaderReadScopesGetsItsStatusAndFiles() throws Exception {
        String status = kickOff(backend, "/fhir/$export?_type=Patient,Observation&_since=" + before);
        JsonNode manifest = manifest(backend, status);
        UUID id = UUID.fromString(status.substring(status.indexOf("_jobId=") + 7));
        String observations = "/fhir/$export-file?_jobId=" + id + "&_file=2";
        assertThat(manifest.get("output").get(1).get("type").asString()).isEqualTo("Observation");
        FhirHttp locationsOnly = http.as(tokens.bearer(TestTokens.Caller.system("system/Location.r")));
        FhirHttp vitalSignsOnly = http.as(tokens.bearer(TestTokens.Caller.system(
                "system/Observation.rs?category=vital-signs", "system/Patient.rs")));
        FhirHttp readOnlyNoSearch = http.as(tokens.bearer(TestTokens.Caller.system("system/*.r")));
        FhirHttp everything = http.as(tokens.bearer(TestTokens.Caller.system("system/*.cruds")));

        FhirHttp.Response narrowerFile = locationsOnly.get(observations);
        FhirHttp.Response narrowerStatus = locationsOnly.get(status);
        FhirHttp.Response narrowerCancel = locationsOnly.delete(status);
        FhirHttp.Response filteredFile = vitalSignsOnly.get(observations);
        FhirHttp.Response noSearchFile = readOnlyNoSearch.get(observations);
        FhirHttp.Response broaderFile = everything.get(observations);
        FhirHttp.Response broaderStatus = everything.get(status);

        assertThat(narrowerFile.status()).as(narrowerFile.body()).isEqualTo(403);
        assertThat(narrowerFile.outcome().getIssueFirstRep().getDiagnostics()).contains("system/*.rs");
        assertThat(narrowerStatus.status()).isEqualTo(403);
        assertThat(narrowerCancel.status()).isEqualTo(403);
        assertThat(filteredFile.status()).isEqualTo(403);
        assertThat(noSearchFile.status()).isEqualTo(403);
        assertThat(broaderFile.status()).as(broaderFile.body()).isEqualTo(200);
        assertThat(broaderFile.body()).contains(tag + "-o1-1");
        assertThat(broaderStatus.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select status from bulk_export_job where id = ?", String.class, id))
                .isEqualTo("completed");

        // Recorded as started by someone else through the same client (a user-level token): not this requester's.
        jdbc.update("update bulk_export_job set fhir_user = 'Practitioner/someone-else' where id = ?", id);
        FhirHttp.Response anotherUsersFile = backend.get(observations);
        FhirHttp.Response anotherUsersStatus = backend.get(status);
        FhirHttp.Response anotherUsersCancel = backend.delete(status);
        jdbc.update("update bulk_export_job set fhir_user = null, subject = 'someone-else' where id = ?", id);
        FhirHttp.Response anotherSubjectsFile = backend.get(observations);

        assertThat(anotherUsersFile.status()).isEqualTo(404);
        assertThat(anotherUsersStatus.status()).isEqualTo(404);
        assertThat(anotherUsersCancel.status()).isEqualTo(404);
        assertThat(anotherSubjectsFile.status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from bulk_export_file where job = ?", Integer.class, id))
                .isPositive();
    }

    /** Job storage whose runner waits before starting a job until let go, as behind a long export in the queue. */
    private static final class QueuedJobs extends ExportJobs {

        private final java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);

        QueuedJobs(org.springframework.jdbc.core.JdbcTemplate jdbc,
                   org.springframework.transaction.support.TransactionTemplate tx) {
            super(jdbc, tx);
        }

        @Override
        boolean start(UUID id) {
            try {
                if (!go.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never let go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return super.start(id);
        }
    }

    /** An accepted job of the backend client's (system/*.rs) for Observations, as its kick-off would store it. */
    private static ExportJob backendJob(String kind, String group, Instant since, Instant transactionTime) {
        return new ExportJob(UUID.randomUUID(), new ExportJob.Owner(TestKeys.BACKEND_CLIENT, TestKeys.BACKEND_CLIENT,
                null, List.of("system/*.rs")), kind, group, List.of("Observation"), since, "test", "accepted",
                transactionTime, 0, null, null, null);
    }

    @Test
    void resourcesChangedAfterTheTransactionTimeButBeforeTheJobReadsThemAreExportedAsTheyWereThen()
            throws Exception {
        QueuedJobs queued = new QueuedJobs(jdbc, tx);
        ExportRunner runner = new ExportRunner(queued, repository, Clock.systemUTC(), 100, Duration.ofHours(1));
        try {
            Instant transactionTime = repository.settledUpTo();
            ExportJob job = backendJob("system", null, before, transactionTime);
            runner.submit(new ExportRunner.Plan(job, Map.of("Observation", AccessScope.UNRESTRICTED)));
            Thread.sleep(5);
            // While the job waits in the queue: one reading is corrected, one deleted and one newly made.
            Observation corrected = new Observation();
            corrected.setId(tag + "-o1-1");
            corrected.setStatus(Observation.ObservationStatus.AMENDED);
            corrected.getCode().setText("Export test reading, corrected");
            corrected.setSubject(new Reference("Patient/" + tag + "-p1"));
            put(corrected);
            repository.inTransaction(s -> s.delete("Observation", tag + "-o2-1"));
            put(reading(tag + "-later", tag + "-p1"));
            queued.go.countDown();

            JsonNode manifest = manifest(backend, "/fhir/$export-poll-status?_jobId=" + job.id());
            String file = manifest.get("output").get(0).get("url").asString();
            FhirHttp.Response exported = backend.get(file.substring(file.indexOf("/fhir/")));

            assertThat(exported.status()).as(exported.body()).isEqualTo(200);
            Map<String, Observation> byId = new java.util.TreeMap<>();
            for (String line : exported.body().split("\n")) {
                Observation o = FhirContexts.r4().newJsonParser().parseResource(Observation.class, line);
                byId.put(o.getIdElement().getIdPart(), o);
            }
            assertThat(byId.keySet()).filteredOn(k -> k.startsWith(tag)).containsExactlyInAnyOrder(tag + "-o1-1",
                    tag + "-o2-1", tag + "-o2-2", tag + "-o3-1", tag + "-o3-2", tag + "-o3-3");
            assertThat(byId.get(tag + "-o1-1").getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
            assertThat(byId.get(tag + "-o1-1").getMeta().getVersionId()).isEqualTo("1");
            assertThat(byId.get(tag + "-o2-1").getCode().getText()).isEqualTo("Export test reading");
        } finally {
            runner.close();
        }
    }

    @Test
    void aGroupExportHoldsItsMembersRecordsAsTheyWereAtTheTransactionTimeThoughChangedBeforeTheJobReadsThem()
            throws Exception {
        QueuedJobs queued = new QueuedJobs(jdbc, tx);
        ExportRunner runner = new ExportRunner(queued, repository, Clock.systemUTC(), 100, Duration.ofHours(1));
        try {
            Instant transactionTime = repository.settledUpTo();
            ExportJob job = backendJob("group", tag + "-g", null, transactionTime);
            // As the kick-off plans a Group of p2 for a client that may read every record.
            runner.submit(new ExportRunner.Plan(job,
                    Map.of("Observation", AccessScope.UNRESTRICTED.withPatients(Set.of(tag + "-p2"), Set.of(),
                            Set.of())), Map.of("Observation", AccessScope.UNRESTRICTED)));
            Thread.sleep(5);
            // While the job waits in the queue: one of p2's readings deleted, one moved to p3, one of p3's to p2.
            repository.inTransaction(s -> s.delete("Observation", tag + "-o2-1"));
            put(reading(tag + "-o2-2", tag + "-p3"));
            put(reading(tag + "-o3-1", tag + "-p2"));
            queued.go.countDown();

            JsonNode manifest = manifest(backend, "/fhir/$export-poll-status?_jobId=" + job.id());
            Map<String, List<String>> exported = ours(fetch(backend, manifest));

            assertThat(exported.get("Observation")).containsExactlyInAnyOrder(tag + "-o2-1", tag + "-o2-2");
        } finally {
            runner.close();
        }
    }

    /** A reading nothing derives from (a vital sign would set off NEWS2 scoring, which writes more). */
    private static Observation reading(String id, String patient) {
        Observation obs = new Observation();
        obs.setId(id);
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.getCode().setText("Export test reading");
        obs.setSubject(new Reference("Patient/" + patient));
        return obs;
    }

    @Test
    void anExportSinceAnInstantListsWhatWasDeletedSinceAsTransactionBundlesOfTheSelectionOnly() throws Exception {
        Instant since = repository.settledUpTo();
        Thread.sleep(5);
        repository.inTransaction(s -> s.delete("Observation", tag + "-o3-1"));
        repository.inTransaction(s -> s.delete("Observation", tag + "-o2-1"));
        Group group = new Group();
        group.setId(tag + "-g");
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + tag + "-p2"));
        put(group);
        long auditBefore = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        JsonNode everything = manifest(backend, kickOff(backend, "/fhir/$export?_type=Patient,Observation&_since="
                + since));
        JsonNode ofGroup = manifest(backend, kickOff(backend, "/fhir/Group/" + tag + "-g/$export?_type=Observation"
                + "&_since=" + since));
        JsonNode whole = manifest(backend, kickOff(backend, "/fhir/$export?_type=Observation"));

        assertThat(ours(deleted(everything))).containsExactlyInAnyOrder("Observation/" + tag + "-o3-1",
                "Observation/" + tag + "-o2-1");
        assertThat(ours(fetch(backend, everything)).getOrDefault("Observation", List.of())).isEmpty();
        assertThat(ours(deleted(ofGroup))).containsExactly("Observation/" + tag + "-o2-1");
        // Without _since nothing is listed as deleted: what is gone is simply not there.
        assertThat(whole.get("deleted")).isEmpty();
        // Fetching a file of deletions is audited naming the patients whose records they were.
        List<String> named = jdbc.queryForList("select patients from audit.event where seq > ? and type ="
                + " 'http://dicom.nema.org/resources/ontology/DCM|110106' and patients is not null", String.class,
                auditBefore);
        assertThat(String.join(",", named)).contains(tag + "-p3");
    }

    /** The references of the DELETE entries in the manifest's deleted files, fetched as the client would. */
    private List<String> deleted(JsonNode manifest) {
        List<String> deleted = new ArrayList<>();
        for (JsonNode file : manifest.get("deleted")) {
            assertThat(file.get("type").asString()).isEqualTo("Bundle");
            String url = file.get("url").asString();
            FhirHttp.Response r = backend.get(url.substring(url.indexOf("/fhir/")));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            String[] lines = r.body().split("\n");
            assertThat(lines).hasSize(file.get("count").asInt());
            for (String line : lines) {
                org.hl7.fhir.r4.model.Bundle bundle = FhirContexts.r4().newJsonParser()
                        .parseResource(org.hl7.fhir.r4.model.Bundle.class, line);
                assertThat(bundle.getType()).isEqualTo(org.hl7.fhir.r4.model.Bundle.BundleType.TRANSACTION);
                for (var entry : bundle.getEntry()) {
                    assertThat(entry.getRequest().getMethod()).isEqualTo(
                            org.hl7.fhir.r4.model.Bundle.HTTPVerb.DELETE);
                    deleted.add(entry.getRequest().getUrl());
                }
            }
        }
        return deleted;
    }

    private List<String> ours(List<String> references) {
        return references.stream().filter(r -> r.substring(r.indexOf('/') + 1).startsWith(tag)).toList();
    }
}
