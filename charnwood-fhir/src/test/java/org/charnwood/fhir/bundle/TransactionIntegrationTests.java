package org.charnwood.fhir.bundle;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.ResourceParser;
import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.charnwood.fhir.bundle.TestBundles.delete;
import static org.charnwood.fhir.bundle.TestBundles.entry;
import static org.charnwood.fhir.bundle.TestBundles.get;
import static org.charnwood.fhir.bundle.TestBundles.observation;
import static org.charnwood.fhir.bundle.TestBundles.patch;
import static org.charnwood.fhir.bundle.TestBundles.patient;
import static org.charnwood.fhir.bundle.TestBundles.post;
import static org.charnwood.fhir.bundle.TestBundles.put;
import static org.charnwood.fhir.bundle.TestBundles.transaction;

class TransactionIntegrationTests {

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;
    private BundleProcessor processor;

    @BeforeEach
    void setUp() {
        db.reset();
        IdListSearchEngine engine = new IdListSearchEngine();
        repository = new FhirRepository(db.dataSource(), new ParseOnlyValidator(), engine, engine,
                RepositorySettings.defaults(), Clock.systemUTC());
        processor = new BundleProcessor(repository);
    }

    // ---- placeholders -------------------------------------------------------------------

    @Test
    void resolvesPlaceholdersAcrossEntriesIncludingForwardReferences() {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.getClass_().setCode("AMB");
        encounter.setSubject(new Reference("urn:uuid:5b1e8f0c-0000-4000-8000-000000000001"));
        var obs = observation("urn:uuid:5b1e8f0c-0000-4000-8000-000000000001");
        obs.setEncounter(new Reference("urn:oid:1.2.826.0.1.3680043.2.1"));

        Bundle response = processor.process(transaction(
                post(null, obs),
                post("urn:uuid:5b1e8f0c-0000-4000-8000-000000000001", patient("Okafor")),
                post("urn:oid:1.2.826.0.1.3680043.2.1", encounter)));

        assertThat(response.getType()).isEqualTo(BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).allSatisfy(e -> {
            assertThat(e.getResponse().getStatus()).isEqualTo("201 Created");
            assertThat(e.getResponse().getEtag()).isEqualTo("W/\"1\"");
            assertThat(e.getResponse().getLastModified()).isNotNull();
        });
        String observationId = idOf(response.getEntry().get(0));
        String patientId = idOf(response.getEntry().get(1));
        String encounterId = idOf(response.getEntry().get(2));
        assertThat(response.getEntry().get(1).getResponse().getLocation())
                .isEqualTo("Patient/" + patientId + "/_history/1");
        assertThat(stored("Observation", observationId))
                .contains("\"subject\":{\"reference\":\"Patient/" + patientId + "\"}")
                .contains("\"encounter\":{\"reference\":\"Encounter/" + encounterId + "\"}");
        assertThat(stored("Encounter", encounterId)).contains("Patient/" + patientId);
        assertThat(db.count("select count(*) from fhir_resource")).isEqualTo(3);
    }

    @Test
    void handlesABundleAsTheJsonParserReadsIt() {
        String json = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:0f5c0a4e-1111-4a4a-9a9a-000000000002",
                   "resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                               "subject":{"reference":"urn:uuid:0f5c0a4e-1111-4a4a-9a9a-000000000001"}},
                   "request":{"method":"POST","url":"Observation"}},
                  {"fullUrl":"urn:uuid:0f5c0a4e-1111-4a4a-9a9a-000000000001",
                   "resource":{"resourceType":"Patient","name":[{"family":"Nowak"}]},
                   "request":{"method":"PUT","url":"Patient/nowak-1"}}
                ]}""";
        Bundle request = (Bundle) new ResourceParser().parse(json, FhirFormat.JSON);

        Bundle response = processor.process(request);

        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(response.getEntry().get(1).getResponse().getLocation()).isEqualTo("Patient/nowak-1/_history/1");
        String observationId = idOf(response.getEntry().get(0));
        assertThat(stored("Observation", observationId)).contains("\"reference\":\"Patient/nowak-1\"")
                .doesNotContain("contained");
    }

    @Test
    void refusesAReferenceToAPlaceholderNoEntryHas() {
        FhirException refused = refused(transaction(
                post("urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", patient("Ito")),
                post(null, observation("urn:uuid:aaaaaaaa-0000-4000-8000-00000000dead"))));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(expression(refused)).isEqualTo("Bundle.entry[1]");
        assertThat(refused.getMessage()).contains("urn:uuid:aaaaaaaa-0000-4000-8000-00000000dead");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void thousandCreatesWithPlaceholdersReachTheDatabaseInAHandfulOfStatements() {
        StatementCountingDataSource counting = new StatementCountingDataSource(db.dataSource());
        IdListSearchEngine engine = new IdListSearchEngine();
        BundleProcessor counted = new BundleProcessor(new FhirRepository(counting.dataSource(),
                new ParseOnlyValidator(), engine, engine, RepositorySettings.defaults(), Clock.systemUTC()));
        Bundle request = transaction();
        for (int p = 0; p < 200; p++) {
            String fullUrl = "urn:uuid:" + java.util.UUID.randomUUID();
            for (int o = 0; o < 4; o++) {
                request.addEntry(post(null, observation(fullUrl)));
            }
            request.addEntry(post(fullUrl, patient("Patient " + p)));
        }

        Bundle response = counted.process(request, ReturnPreference.MINIMAL);

        assertThat(response.getEntry()).hasSize(1000)
                .allSatisfy(e -> assertThat(e.getResponse().getStatus()).isEqualTo("201 Created"));
        // resources, versions, outbox, reference check: batched, however many entries there are (versions and
        // outbox rows go several to a statement, in chunks of 64, 16, 4 and 1 rows: at most four statements each)
        assertThat(counting.count()).isLessThanOrEqualTo(10);
        assertThat(db.count("select count(*) from fhir_resource_version")).isEqualTo(1000);
    }

    // ---- atomicity and failure reports ---------------------------------------------------

    @Test
    void staleIfMatchOnTheFifthEntryRollsBackTheFourBeforeIt() {
        String existing = existingPatient("Adeyemi");
        long resources = db.count("select count(*) from fhir_resource");
        long versions = db.count("select count(*) from fhir_resource_version");
        long outbox = db.count("select count(*) from fhir_outbox");
        BundleEntryComponent stale = put("Patient/" + existing, patient(existing, "Adeyemi-Jones"));
        stale.getRequest().setIfMatch("W/\"3\"");

        FhirException refused = refused(transaction(
                post("urn:uuid:11111111-0000-4000-8000-000000000001", patient("Brown")),
                post(null, observation("urn:uuid:11111111-0000-4000-8000-000000000001")),
                post(null, patient("Green")),
                put("Patient/new-one", patient("new-one", "White")),
                stale));

        assertThat(refused.status()).isEqualTo(412);
        OperationOutcome.OperationOutcomeIssueComponent summary = refused.outcome().getIssueFirstRep();
        assertThat(summary.getExpression().get(0).getValue()).isEqualTo("Bundle.entry[4]");
        assertThat(summary.getDiagnostics()).contains("Bundle.entry[4] (PUT Patient/" + existing + ")")
                .contains("nothing was written");
        assertThat(refused.outcome().getIssue().get(1).getDiagnostics()).contains("version 1, not version 3");
        assertThat(db.count("select count(*) from fhir_resource")).isEqualTo(resources);
        assertThat(db.count("select count(*) from fhir_resource_version")).isEqualTo(versions);
        assertThat(db.count("select count(*) from fhir_outbox")).isEqualTo(outbox);
        assertThat(stored("Patient", existing)).contains("Adeyemi").doesNotContain("Adeyemi-Jones");
    }

    @Test
    void resolvesAPlaceholderInAnExtensionOfAPrimitiveValue() {
        String practitionerUrl = "urn:uuid:5b1e8f0c-0000-4000-8000-00000000000a";
        Patient patient = patient("Okafor");
        patient.getBirthDateElement().setValueAsString("1970-01-01");
        patient.getBirthDateElement().addExtension("https://example.org/recorded-by", new Reference(practitionerUrl));

        Bundle response = processor.process(transaction(post(null, patient),
                post(practitionerUrl, new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Ng")))));

        String practitionerId = idOf(response.getEntry().get(1));
        assertThat(stored("Patient", idOf(response.getEntry().get(0))))
                .contains("\"Practitioner/" + practitionerId + "\"").doesNotContain("urn:uuid");
    }

    @Test
    void danglingReferenceIsReportedAgainstTheEntryThatHoldsIt() {
        FhirException refused = refused(transaction(
                post(null, patient("Ahmed")),
                post(null, observation("Patient/nobody-here"))));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(expression(refused)).isEqualTo("Bundle.entry[1]");
        assertThat(refused.outcome().getIssue().get(1).getDiagnostics()).contains("Patient/nobody-here");
        assertThat(refused.outcome().getIssue().get(1).getExpression().get(0).getValue())
                .isEqualTo("Bundle.entry[1].resource");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void danglingReferenceByThisServersAddressIsReportedAgainstTheEntryThatHoldsIt() {
        String base = "https://fhir.charnwood.example/r4";
        IdListSearchEngine engine = new IdListSearchEngine();
        FhirRepository withBase = new FhirRepository(db.dataSource(), new ParseOnlyValidator(),
                new SearchIndexer(SearchParameterRegistry.r4(), ServerBase.of(base)), engine,
                RepositorySettings.defaults(), Clock.systemUTC());

        FhirException refused = catchThrowableOfType(FhirException.class, () -> new BundleProcessor(withBase)
                .process(transaction(post(null, patient("Ahmed")), post(null, observation(base + "/Patient/nobody")))));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(expression(refused)).isEqualTo("Bundle.entry[1]");
        assertThat(refused.outcome().getIssue().get(1).getDiagnostics()).contains("Patient/nobody");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void danglingReferenceInsideAContainedResourceIsRefused() {
        var obs = observation("#carer");
        Patient carer = patient("Carer");
        carer.setId("carer");
        carer.addGeneralPractitioner(new Reference("Practitioner/not-on-file"));
        obs.addContained(carer);

        FhirException refused = refused(transaction(post(null, obs)));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.outcome().getIssue()).anySatisfy(issue ->
                assertThat(issue.getDiagnostics()).contains("Practitioner/not-on-file"));
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void danglingReferenceInAnUpdatedEntryIsRefused() {
        Patient updated = patient("p2", "Two");
        updated.addGeneralPractitioner(new Reference("Practitioner/not-on-file"));

        FhirException refused = refused(transaction(put("Patient/p2", updated)));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.outcome().getIssue()).anySatisfy(issue ->
                assertThat(issue.getDiagnostics()).contains("Practitioner/not-on-file"));
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void sameResourceWrittenTwiceIsRefused() {
        FhirException twice = refused(transaction(
                put("Patient/p1", patient("p1", "One")),
                put("Patient/p1", patient("p1", "Two"))));
        String existing = existingPatient("Gone");
        FhirException deletedAndUpdated = refused(transaction(
                put("Patient/" + existing, patient(existing, "Back")),
                delete("Patient/" + existing)));

        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.getMessage()).contains("Patient/p1").contains("only once");
        assertThat(deletedAndUpdated.status()).isEqualTo(400);
        assertThat(db.count("select count(*) from fhir_resource where res_id = 'p1'")).isZero();
    }

    // ---- processing order and conditionals ------------------------------------------------

    @Test
    void deletesRunBeforeCreatesSoAConditionalCreateDoesNotFindWhatTheBundleDeletes() {
        String existing = existingPatient("Fischer");

        Bundle response = processor.process(transaction(
                conditionalPost(patient("Fischer"), "_id=" + existing),
                delete("Patient?_id=" + existing)));

        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(idOf(response.getEntry().get(0))).isNotEqualTo(existing);
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("204 No Content");
        FhirException gone = catchThrowableOfType(FhirException.class, () -> repository.read("Patient", existing));
        assertThat(gone.status()).isEqualTo(410);
    }

    @Test
    void conditionalCreateReturnsTheExistingResourceAndItsPlaceholderPointsThere() {
        String existing = existingPatient("Kowalski");
        BundleEntryComponent conditional = conditionalPost(patient("Kowalski"), "_id=" + existing);
        conditional.setFullUrl("urn:uuid:22222222-0000-4000-8000-000000000001");

        Bundle response = processor.process(transaction(conditional,
                post(null, observation("urn:uuid:22222222-0000-4000-8000-000000000001"))));

        BundleEntryComponent found = response.getEntry().get(0);
        assertThat(found.getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(found.getResponse().getLocation()).isEqualTo("Patient/" + existing + "/_history/1");
        assertThat(found.getResource().getIdElement().getIdPart()).isEqualTo(existing);
        assertThat(stored("Observation", idOf(response.getEntry().get(1)))).contains("Patient/" + existing);
        assertThat(db.count("select count(*) from fhir_resource_version")).isEqualTo(2);
    }

    @Test
    void repeatedConditionalCreateInOneBundleCreatesOnce() {
        Bundle response = processor.process(transaction(
                conditionalPost(patient("Silva"), "_id=not-there"),
                conditionalPost(patient("Silva"), "_id=not-there")));

        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(response.getEntry().get(1).getResponse().getLocation())
                .isEqualTo(response.getEntry().get(0).getResponse().getLocation());
        assertThat(db.count("select count(*) from fhir_resource")).isEqualTo(1);
    }

    @Test
    void conditionalCreateMatchingSeveralIsRefusedWith412() {
        String a = existingPatient("A");
        String b = existingPatient("B");

        FhirException refused = refused(transaction(conditionalPost(patient("C"), "_id=" + a + "," + b)));

        assertThat(refused.status()).isEqualTo(412);
        assertThat(expression(refused)).isEqualTo("Bundle.entry[0]");
    }

    @Test
    void conditionalReferenceResolvesToItsSingleMatch() {
        String existing = existingPatient("Murphy");

        Bundle response = processor.process(transaction(post(null, observation("Patient?_id=" + existing))));

        assertThat(stored("Observation", idOf(response.getEntry().get(0))))
                .contains("\"subject\":{\"reference\":\"Patient/" + existing + "\"}");
    }

    @Test
    void conditionalReferenceFindsAConditionalCreateOfTheSameBundle() {
        Bundle response = processor.process(transaction(
                post(null, observation("Patient?_id=fresh")),
                conditionalPost(patient("Quinn"), "_id=fresh")));

        String patientId = idOf(response.getEntry().get(1));
        assertThat(stored("Observation", idOf(response.getEntry().get(0)))).contains("Patient/" + patientId);
    }

    @Test
    void conditionalReferenceMatchingNothingFailsTheTransactionWith400() {
        FhirException refused = refused(transaction(
                post(null, patient("Kept")),
                post(null, observation("Patient?_id=nobody"))));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(expression(refused)).isEqualTo("Bundle.entry[1]");
        assertThat(refused.getMessage()).contains("Patient?_id=nobody").contains("matches no resource");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void conditionalReferenceMatchingSeveralFailsTheTransactionWith412() {
        String a = existingPatient("A");
        String b = existingPatient("B");

        FhirException refused = refused(transaction(post(null, observation("Patient?_id=" + a + "," + b))));

        assertThat(refused.status()).isEqualTo(412);
        assertThat(expression(refused)).isEqualTo("Bundle.entry[0]");
    }

    @Test
    void conditionalUpdateUpdatesTheMatchOrCreatesAndItsPlaceholderResolves() {
        String existing = existingPatient("Evans");
        BundleEntryComponent creating = put("Patient?_id=absent", patient("Hughes"));
        creating.setFullUrl("urn:uuid:33333333-0000-4000-8000-000000000001");

        Bundle response = processor.process(transaction(
                put("Patient?_id=" + existing, patient("Evans-Price")),
                creating,
                post(null, observation("urn:uuid:33333333-0000-4000-8000-000000000001"))));

        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(response.getEntry().get(0).getResponse().getLocation())
                .isEqualTo("Patient/" + existing + "/_history/2");
        assertThat(stored("Patient", existing)).contains("Evans-Price");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("201 Created");
        String created = idOf(response.getEntry().get(1));
        assertThat(stored("Observation", idOf(response.getEntry().get(2)))).contains("Patient/" + created);
    }

    @Test
    void ifMatchIsHonouredOnUpdatesAndDeletes() {
        String updated = existingPatient("Lee");
        String deleted = existingPatient("Park");
        BundleEntryComponent update = put("Patient/" + updated, patient(updated, "Lee-Chan"));
        update.getRequest().setIfMatch("W/\"1\"");
        BundleEntryComponent remove = delete("Patient/" + deleted);
        remove.getRequest().setIfMatch("W/\"1\"");

        Bundle response = processor.process(transaction(update, remove));

        assertThat(response.getEntry().get(0).getResponse().getEtag()).isEqualTo("W/\"2\"");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("204 No Content");

        BundleEntryComponent staleDelete = delete("Patient/" + updated);
        staleDelete.getRequest().setIfMatch("W/\"1\"");
        FhirException refused = refused(transaction(staleDelete));
        assertThat(refused.status()).isEqualTo(412);
    }

    // ---- reads and response shape --------------------------------------------------------

    @Test
    void responseFollowsRequestOrderWhileReadsSeeTheTransactionsWrites() {
        String kept = existingPatient("Rossi");
        String removed = existingPatient("Bianchi");

        Bundle response = processor.process(transaction(
                get("Patient/" + kept),
                put("Patient/" + kept, patient(kept, "Rossi-Verdi")),
                delete("Patient/" + removed),
                post(null, patient("Conti")),
                get("Patient?_id=" + kept)));

        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("200 OK", "200 OK", "204 No Content", "201 Created", "200 OK");
        BundleEntryComponent read = response.getEntry().get(0);
        assertThat(read.getResponse().getEtag()).isEqualTo("W/\"2\"");
        assertThat(((Patient) read.getResource()).getNameFirstRep().getFamily()).isEqualTo("Rossi-Verdi");
        assertThat(response.getEntry().get(1).getResponse().getLocation()).isEqualTo("Patient/" + kept + "/_history/2");
        assertThat(response.getEntry().get(3).getResponse().getLocation()).matches("Patient/[0-9a-f-]{36}/_history/1");
        Bundle searchset = (Bundle) response.getEntry().get(4).getResource();
        assertThat(searchset.getType()).isEqualTo(BundleType.SEARCHSET);
        assertThat(searchset.getEntry()).hasSize(1);
    }

    @Test
    void readsAnswerVersionsHeadsAndNotModified() {
        String id = existingPatient("Novak");
        BundleEntryComponent current = get("Patient/" + id);
        current.getRequest().setIfNoneMatch("W/\"1\"");

        Bundle response = processor.process(transaction(
                get("Patient/" + id + "/_history/1"),
                entry(HTTPVerb.HEAD, "Patient/" + id, null),
                current));

        assertThat(response.getEntry().get(0).getResource()).isInstanceOf(Patient.class);
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(response.getEntry().get(1).hasResource()).isFalse();
        assertThat(response.getEntry().get(2).getResponse().getStatus()).isEqualTo("304 Not Modified");
        assertThat(response.getEntry().get(2).hasResource()).isFalse();
    }

    @Test
    void failedReadFailsTheTransaction() {
        FhirException refused = refused(transaction(post(null, patient("Lost")), get("Patient/missing")));

        assertThat(refused.status()).isEqualTo(404);
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void minimalAndOperationOutcomePreferencesLeaveOutTheResource() {
        Bundle minimal = processor.process(transaction(post(null, patient("Min"))), ReturnPreference.MINIMAL);
        Bundle outcome = processor.process(transaction(post(null, patient("Out"))),
                ReturnPreference.OPERATION_OUTCOME);

        assertThat(minimal.getEntryFirstRep().hasResource()).isFalse();
        assertThat(minimal.getEntryFirstRep().getResponse().getLocation()).startsWith("Patient/");
        assertThat(outcome.getEntryFirstRep().hasResource()).isFalse();
        assertThat(((OperationOutcome) outcome.getEntryFirstRep().getResponse().getOutcome())
                .getIssueFirstRep().getDiagnostics()).startsWith("Created Patient/");
    }

    // ---- patch entries -------------------------------------------------------------------

    @Test
    void patchEntryAppliesAJsonPatchWhoseReferencesMayBePlaceholders() {
        String id = existingPatient("Walsh");
        Practitioner gp = new Practitioner();
        gp.addName().setFamily("Doyle");

        Bundle response = processor.process(transaction(
                patch("Patient/" + id, """
                        [{"op":"add","path":"/active","value":true},
                         {"op":"add","path":"/generalPractitioner","value":[{"reference":"urn:uuid:44444444-0000-4000-8000-000000000001"}]}]"""),
                post("urn:uuid:44444444-0000-4000-8000-000000000001", gp)));

        BundleEntryComponent patched = response.getEntry().get(0);
        assertThat(patched.getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(patched.getResponse().getEtag()).isEqualTo("W/\"2\"");
        assertThat(((Patient) patched.getResource()).getActive()).isTrue();
        String gpId = idOf(response.getEntry().get(1));
        assertThat(stored("Patient", id)).contains("\"active\":true").contains("Practitioner/" + gpId);
    }

    @Test
    void fhirPathPatchIsRefusedWithAClearMessage() {
        String id = existingPatient("Byrne");

        FhirException refused = refused(transaction(entry(HTTPVerb.PATCH, "Patient/" + id, new Parameters())));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.outcome().getIssue().get(1).getCode()).isEqualTo(IssueType.NOTSUPPORTED);
        assertThat(refused.getMessage()).contains("FHIRPath Patch").contains("application/json-patch+json");
    }

    // ---- bad bundles ---------------------------------------------------------------------

    @Test
    void refusesWhatIsNotATransactionOrBatchBundle() {
        assertThat(refused(patient("Not a bundle")).getMessage()).contains("Expected a Bundle");
        assertThat(refused(new Bundle().setType(BundleType.COLLECTION)).getMessage())
                .contains("transaction or batch, not collection");
        assertThat(refused(new Bundle()).status()).isEqualTo(400);
    }

    @Test
    void refusesMalformedEntriesNamingThem() {
        BundleEntryComponent noRequest = new BundleEntryComponent().setResource(patient("X"));
        assertBadEntry(transaction(post(null, patient("Y")), noRequest), "Bundle.entry[1].request", "has no request");
        assertBadEntry(transaction(entry(HTTPVerb.NULL, "Patient", patient("X"))), "Bundle.entry[0].request.method",
                "request.method");
        assertBadEntry(transaction(entry(HTTPVerb.POST, "", patient("X"))), "Bundle.entry[0].request.url",
                "no request.url");
        assertBadEntry(transaction(put("http://elsewhere.example/fhir/Patient/1", patient("1", "X"))),
                "Bundle.entry[0].request.url", "relative");
        assertBadEntry(transaction(get("Patient/1/2")), "Bundle.entry[0].request.url", "not a form");
        assertBadEntry(transaction(get("Patient/$everything")), "Bundle.entry[0].request.url", "not a form");
        assertBadEntry(transaction(get("Wombat/1")), "Bundle.entry[0].request.url", "not an R4 resource type");
        assertBadEntry(transaction(entry(HTTPVerb.POST, "Patient/1", patient("X"))), "Bundle.entry[0].request.url",
                "just the resource type");
        assertBadEntry(transaction(entry(HTTPVerb.PUT, "Patient/1", null)), "Bundle.entry[0].resource",
                "has no resource");
        assertBadEntry(transaction(entry(HTTPVerb.PUT, "Patient/1", observation("Patient/1"))),
                "Bundle.entry[0].resource", "carries a Observation");
        assertBadEntry(transaction(delete("Patient")), "Bundle.entry[0].request.url", "needs the URL of one");
        BundleEntryComponent badEtag = put("Patient/1", patient("1", "X"));
        badEtag.getRequest().setIfMatch("version three");
        assertBadEntry(transaction(badEtag), "Bundle.entry[0].request.ifMatch", "not a version ETag");
        assertBadEntry(transaction(post("urn:uuid:55555555-0000-4000-8000-000000000001", patient("A")),
                        post("urn:uuid:55555555-0000-4000-8000-000000000001", patient("B"))),
                "Bundle.entry[1].fullUrl", "must be unique");
    }

    // ---- helpers -------------------------------------------------------------------------

    private void assertBadEntry(Bundle bundle, String expression, String message) {
        FhirException refused = refused(bundle);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage()).contains(message);
        assertThat(expression(refused)).isEqualTo(expression);
    }

    private FhirException refused(org.hl7.fhir.r4.model.Resource request) {
        return catchThrowableOfType(FhirException.class, () -> processor.process(request));
    }

    private static String expression(FhirException refused) {
        return refused.outcome().getIssueFirstRep().getExpression().get(0).getValue();
    }

    private static BundleEntryComponent conditionalPost(Patient patient, String ifNoneExist) {
        BundleEntryComponent entry = post(null, patient);
        entry.getRequest().setIfNoneExist(ifNoneExist);
        return entry;
    }

    private String existingPatient(String family) {
        return repository.inTransaction(s -> s.create(patient(family))).id();
    }

    private String stored(String type, String id) {
        return repository.read(type, id).json();
    }

    private static String idOf(BundleEntryComponent responseEntry) {
        return responseEntry.getResponse().getLocation().split("/")[1];
    }
}
