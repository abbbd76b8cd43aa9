package org.charnwood.fhir.bulk;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.TransactionListener.WrittenResource;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.search.SqlSearchEngine;
import org.charnwood.fhir.store.ResourceStore.HistoryQuery;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.RepositoryValidator;
import org.charnwood.fhir.validation.ValidationSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NdjsonImporterIntegrationTests {

    private static final SearchParameterRegistry REGISTRY = SearchParameterRegistry.r4();
    private static final RepositoryValidator VALIDATOR = new RepositoryValidator(ValidationSettings.defaults());
    private final TestDatabase db = TestDatabase.get();
    private final List<WrittenResource> committed = Collections.synchronizedList(new ArrayList<>());
    private FhirRepository repository;
    private NdjsonImporter importer;

    @BeforeEach
    void setUp() {
        db.reset();
        committed.clear();
        RepositorySettings settings = RepositorySettings.defaults();
        repository = new FhirRepository(db.dataSource(), VALIDATOR, new SearchIndexer(REGISTRY, ServerBase.none()),
                new SqlSearchEngine(REGISTRY, ServerBase.none(), settings, Clock.systemUTC()), settings,
                Clock.systemUTC(), (c, changes) -> committed.addAll(changes));
        importer = new NdjsonImporter(repository, 2);
    }

    @Test
    void importedResourcesAreSearchableByEveryIndexWithHistoryAndOutboxEvents() {
        NdjsonImporter.Summary summary = importer.importLines("test", lines(
                organization("org-1"),
                patient("pat-1", "9000000009", "Smith\\tJones"),
                observation("obs-1", "pat-1")));

        assertThat(summary.created()).isEqualTo(3);
        assertThat(summary.updated()).isZero();
        assertThat(search("Patient", "identifier", "https://fhir.nhs.uk/Id/nhs-number|9000000009")).containsExactly("pat-1");
        assertThat(search("Patient", "family", "smith")).containsExactly("pat-1");
        assertThat(search("Patient", "birthdate", "1970-03-04")).containsExactly("pat-1");
        assertThat(search("Patient", "organization", "Organization/org-1")).containsExactly("pat-1");
        assertThat(search("Observation", "value-quantity", "72")).containsExactly("obs-1");
        assertThat(search("Observation", "code-value-quantity", "http://loinc.org|8867-4$72")).containsExactly("obs-1");
        assertThat(search("Organization", "_profile", "http://example.org/StructureDefinition/org")).containsExactly("org-1");

        StoredResource patient = repository.read("Patient", "pat-1");
        assertThat(patient.version()).isEqualTo(1);
        assertThat(patient.json()).contains("\"versionId\":\"1\"").contains("Smith\\tJones");
        assertThat(repository.history(new HistoryQuery("Patient", "pat-1", null, null, 10, 0))).hasSize(1);
        assertThat(db.count("select count(*) from fhir_outbox where method = 'C'")).isEqualTo(3);
        assertThat(db.count("select count(*) from fhir_resource_version where version = 1 and method = 'C'")).isEqualTo(3);
        assertThat(committed).extracting(WrittenResource::id).containsExactlyInAnyOrder("org-1", "pat-1", "obs-1");
    }

    @Test
    void aListenerTakesWhatItNeedsOfEachImportedVersionAsItIsWrittenAndTheTransactionKeepsWhatItReturns() {
        List<WrittenResource> heard = Collections.synchronizedList(new ArrayList<>());
        List<WrittenResource> atCommit = Collections.synchronizedList(new ArrayList<>());
        RepositorySettings settings = RepositorySettings.defaults();
        FhirRepository lean = new FhirRepository(db.dataSource(), VALIDATOR,
                new SearchIndexer(REGISTRY, ServerBase.none()),
                new SqlSearchEngine(REGISTRY, ServerBase.none(), settings, Clock.systemUTC()), settings,
                Clock.systemUTC(), new org.charnwood.fhir.TransactionListener() {
                    @Override
                    public void beforeCommit(java.sql.Connection c, List<WrittenResource> changes) {
                        atCommit.addAll(changes);
                    }

                    @Override
                    public WrittenResource imported(WrittenResource version) {
                        heard.add(version);
                        return version.withoutJson();
                    }
                });
        new NdjsonImporter(lean, 2).importLines("test", lines(patient("pat-1", "9000000009", "Brown"),
                observation("obs-1", "pat-1")));
        // Existing resources take the update path of the import: heard there too.
        new NdjsonImporter(lean, 2).importLines("test", lines(patient("pat-1", "9000000009", "Jones")));

        assertThat(heard).extracting(WrittenResource::id).containsExactly("pat-1", "obs-1", "pat-1");
        assertThat(heard).allSatisfy(w -> assertThat(w.json()).contains(w.id()));
        assertThat(atCommit).extracting(WrittenResource::id).containsExactly("pat-1", "obs-1", "pat-1");
        assertThat(atCommit).extracting(WrittenResource::version).containsExactly(1, 1, 2);
        assertThat(atCommit).extracting(WrittenResource::json).containsOnlyNulls();
        // A write that is not an import is kept whole.
        lean.inTransaction(s -> s.delete("Observation", "obs-1"));
        assertThat(atCommit.getLast().json()).contains("obs-1");
        assertThat(heard).hasSize(3);
    }

    @Test
    void indexRowsOfCopiedResourcesMatchThoseOfTheOrdinaryWritePath() {
        importer.importLines("test", lines(organization("org-1"), patient("pat-1", "9000000009", "Smith"),
                observation("obs-1", "pat-1")));
        Map<String, Long> copied = indexRowCounts();
        db.reset();
        repository.inTransaction(s -> {
            for (String line : List.of(organization("org-1"), patient("pat-1", "9000000009", "Smith"),
                    observation("obs-1", "pat-1"))) {
                var r = new org.charnwood.fhir.ResourceParser().parse(line, org.charnwood.fhir.FhirFormat.JSON);
                s.create(r, r.getIdElement().getIdPart());
            }
            return null;
        });

        assertThat(indexRowCounts()).isEqualTo(copied);
        assertThat(copied.values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(10);
    }

    @Test
    void labelledResourcesImportedInBulkAreHiddenFromScopesThatHideTheLabel() {
        String labelled = """
                {"resourceType": "Observation", "id": "obs-2", "meta": {"security": [{"system":
                 "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]}, "status": "final",
                 "code": {"text": "reading"}, "subject": {"reference": "Patient/pat-1"}}""".replace("\n", "");
        importer.importLines("test", lines(patient("pat-1", "9000000009", "Jones"), observation("obs-1", "pat-1"),
                labelled));
        AccessScope scope = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(new AccessScope.Label(
                "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")));

        var page = repository.search(new SearchRequest("Observation", Map.of(), false), scope);
        assertThat(page.matches()).extracting(StoredResource::id).containsExactly("obs-1");
        assertThat(search("Observation", "_security", "R")).containsExactly("obs-2");
    }

    @Test
    void existingAndDeletedResourcesAreUpdatedWithNewVersions() {
        importer.importLines("test", lines(organization("org-1"), patient("pat-1", "9000000009", "Smith"),
                patient("pat-2", null, "Brown")));
        repository.inTransaction(s -> s.delete("Patient", "pat-2"));

        NdjsonImporter.Summary again = importer.importLines("test", lines(patient("pat-1", "9000000009", "Jones"),
                patient("pat-2", null, "Brown"), patient("pat-3", null, "Green")));

        assertThat(again.created()).isEqualTo(2);
        assertThat(again.updated()).isEqualTo(1);
        assertThat(repository.read("Patient", "pat-1").version()).isEqualTo(2);
        assertThat(repository.read("Patient", "pat-2").version()).isEqualTo(3);
        assertThat(search("Patient", "family", "jones")).containsExactly("pat-1");
        assertThat(search("Patient", "family", "smith")).isEmpty();
        assertThat(db.count("select count(*) from fhir_outbox")).isEqualTo(7);
    }

    @Test
    void aBadLineFailsItsChunkNamingTheLineAndWritesNothingOfIt() {
        assertThatThrownBy(() -> importer.importLines("Patient.ndjson", lines(patient("pat-1", null, "Smith"),
                "{\"resourceType\": \"Patient\", \"id\": \"pat-2\", \"gender\": 12}")))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isIn(400, 422);
                    assertThat(e.getMessage()).contains("Patient.ndjson line 2");
                });
        assertNothingWritten();
    }

    @Test
    void anInvalidNhsNumberFailsTheChunkAndWritesNothingOfIt() {
        assertThatThrownBy(() -> importer.importLines("test", lines(organization("org-1"),
                patient("pat-1", "9000000001", "Smith"))))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).startsWith("test line 2 (Patient/pat-1): ");
                });
        assertNothingWritten();
    }

    @Test
    void aBadLineAnywhereRefusesTheWholeImportNamingEveryBadLineAndWritesNothing() {
        List<String> many = IntStream.range(0, 2500).mapToObj(i -> patient("p" + i, null, "Family" + i))
                .collect(Collectors.toCollection(ArrayList::new));
        many.set(299, patient("p299", "9000000001", "Broken"));
        many.set(1200, "{\"resourceType\": \"Patient\", \"id\": \"p1200\", \"gender\": 12}");
        many.set(2400, observation("o2400", "nobody"));
        NdjsonImporter single = new NdjsonImporter(repository, 1);

        assertThatThrownBy(() -> single.importLines("test", lines(many.toArray(String[]::new))))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.outcome().getIssue()).extracting(i -> i.getDiagnostics())
                            .anySatisfy(d -> assertThat(d).startsWith("test line 300 (Patient/p299): "))
                            .anySatisfy(d -> assertThat(d).startsWith("test line 1201"))
                            .anySatisfy(d -> assertThat(d).startsWith("test line 2401 (Observation/o2400): ")
                                    .contains("Patient/nobody"))
                            .last().asString().startsWith("Nothing was imported: 3 lines were refused");
                });
        assertNothingWritten();
    }

    @Test
    void checkingStopsAfterAHundredBadLinesAndSaysSo() {
        List<String> many = IntStream.range(0, 3000).mapToObj(i -> i % 10 == 0
                        ? patient("p" + i, "9000000001", "Broken") : patient("p" + i, null, "Family" + i))
                .collect(Collectors.toCollection(ArrayList::new));

        assertThatThrownBy(() -> importer.importLines("test", lines(many.toArray(String[]::new))))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    var issues = e.outcome().getIssue();
                    assertThat(issues.stream().filter(i -> i.getDiagnostics().startsWith("test line "))
                            .map(i -> i.getDiagnostics().substring(0, i.getDiagnostics().indexOf(' ', 10)))
                            .distinct()).hasSize(100);
                    assertThat(issues.getLast().getDiagnostics()).contains("checking stopped at the first 100");
                });
        assertNothingWritten();
    }

    @Test
    void aFailureOfTheDatabaseWhileWritingRollsBackEveryChunkAlreadyWritten() {
        List<String> many = IntStream.range(0, 2500).mapToObj(i -> patient("p" + i, null, "Family" + i))
                .collect(Collectors.toCollection(ArrayList::new));
        sql("""
                create function refuse_p2200() returns trigger language plpgsql as $$
                begin
                  if new.res_id = 'p2200' then raise exception 'disk full'; end if;
                  return new;
                end $$;
                create trigger refuse_p2200 before insert on fhir_resource for each row execute function refuse_p2200()""");
        try {
            assertThatThrownBy(() -> importer.importLines("test", lines(many.toArray(String[]::new))))
                    .isInstanceOf(RuntimeException.class);
        } finally {
            sql("drop trigger refuse_p2200 on fhir_resource; drop function refuse_p2200()");
        }
        assertNothingWritten();
    }

    @Test
    void referencesWithinTheImportResolveWhateverTheOrderOfLines() {
        NdjsonImporter.Summary summary = importer.importLines("test", lines(observation("obs-1", "pat-1"),
                patient("pat-1", "9000000009", "Smith"), organization("org-1")));

        assertThat(summary.created()).isEqualTo(3);
        assertThat(summary.unresolved()).isEmpty();
    }

    @Test
    void aReferenceToNothingRefusesTheImportAsAnyWriteIsRefused() {
        assertThatThrownBy(() -> importer.importLines("test", lines(organization("org-9"),
                observation("obs-1", "nobody"))))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.is(org.charnwood.fhir.ErrorCode.DANGLING_REFERENCE)).isTrue();
                    assertThat(e.getMessage()).startsWith("test line 2 (Observation/obs-1): ")
                            .contains("Patient/nobody");
                });
        assertNothingWritten();
    }

    @Test
    void aReferenceToNothingOutsideTheSearchParametersRefusesTheImport() {
        assertThatThrownBy(() -> importer.importLines("test", lines("""
                {"resourceType": "Patient", "id": "pat-1", "name": [{"family": "Smith"}],
                 "contact": [{"organization": {"reference": "Organization/nowhere"}}]}""".replace("\n", ""))))
                .isInstanceOfSatisfying(FhirException.class,
                        e -> assertThat(e.getMessage()).contains("Organization/nowhere"));
        assertNothingWritten();
    }

    @Test
    void statisticsAreRefreshedAfterAnImportThatChangesATenthOfTheStoreAndNotAfterLess() {
        List<String> first = IntStream.range(0, 600).mapToObj(i -> organization("org-" + i)).toList();
        NdjsonImporter.Summary summary = importer.importLines("test", lines(first.toArray(String[]::new)));

        // An emptied store has never been counted: the first import is always analysed.
        assertThat(importer.refreshPlannerStatistics(summary.created())).isTrue();
        assertThat(db.count("select reltuples::bigint from pg_class where oid = 'fhir_resource'::regclass"))
                .isEqualTo(600);

        // 50 more is under 50 + a tenth of 600: the planner's count stays as it was.
        List<String> few = IntStream.range(600, 650).mapToObj(i -> organization("org-" + i)).toList();
        summary = importer.importLines("test", lines(few.toArray(String[]::new)));
        assertThat(importer.refreshPlannerStatistics(summary.created())).isFalse();
        assertThat(db.count("select reltuples::bigint from pg_class where oid = 'fhir_resource'::regclass"))
                .isEqualTo(600);

        // 110 more reaches it (changes since the last count are not added up: each import is judged alone).
        List<String> more = IntStream.range(650, 760).mapToObj(i -> organization("org-" + i)).toList();
        summary = importer.importLines("test", lines(more.toArray(String[]::new)));
        assertThat(importer.refreshPlannerStatistics(summary.created())).isTrue();
        assertThat(db.count("select reltuples::bigint from pg_class where oid = 'fhir_resource'::regclass"))
                .isEqualTo(760);
    }

    private void sql(String statements) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(statements);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertNothingWritten() {
        for (String table : List.of("fhir_resource", "fhir_resource_version", "fhir_outbox", "idx_string", "idx_token",
                "idx_reference", "idx_date")) {
            assertThat(db.count("select count(*) from " + table)).as(table).isZero();
        }
        assertThat(committed).isEmpty();
    }

    private Map<String, Long> indexRowCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String table : List.of("idx_string", "idx_token", "idx_date", "idx_number", "idx_quantity",
                "idx_reference", "idx_uri", "idx_composite", "fhir_link")) {
            out.put(table, db.count("select count(*) from " + table));
        }
        return out;
    }

    private List<String> search(String type, String param, String value) {
        var page = repository.search(new SearchRequest(type, Map.of(param, List.of(value)), false));
        return page.matches().stream().map(StoredResource::id).toList();
    }

    @Test
    void aChunkThatMeetsAConcurrentWriterOfOneOfItsResourcesIsWrittenAgain() throws Exception {
        // Another writer creates org-shared and holds its transaction open; the import's chunk, which also creates
        // it, waits on that row and then finds it taken when the other commits: the chunk is rolled back, and
        // written again as an update.
        var created = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var other = pool.submit(() -> repository.inTransaction(session -> {
                var theirs = new org.hl7.fhir.r4.model.Organization().setName("Theirs");
                theirs.setId("org-shared");
                session.update("Organization", "org-shared", theirs, null);
                created.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            if (!created.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                other.get(); // shows why the other writer did not get as far
            }
            var imported = pool.submit(() -> importer.importLines("test", lines(
                    organization("org-shared"), patient("pat-9", null, "Shared"))));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (db.count("select count(*) from pg_stat_activity where wait_event_type = 'Lock'") == 0) {
                assertThat(System.nanoTime()).as("the import waits on the other writer's row").isLessThan(deadline);
                Thread.sleep(20);
            }
            release.countDown();
            other.get();

            NdjsonImporter.Summary summary = imported.get();

            assertThat(summary.created()).isEqualTo(1);
            assertThat(summary.updated()).isEqualTo(1);
            StoredResource shared = repository.read("Organization", "org-shared");
            assertThat(shared.version()).isEqualTo(2);
            assertThat(shared.json()).contains("Charnwood Community Trust");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static BufferedReader lines(String... lines) {
        return new BufferedReader(new StringReader(String.join("\n", lines) + "\n"));
    }

    private static String organization(String id) {
        return """
                {"resourceType": "Organization", "id": "%s", "meta": {"profile": ["http://example.org/StructureDefinition/org"]},
                 "name": "Charnwood Community Trust"}""".formatted(id).replace("\n", "");
    }

    private static String patient(String id, String nhsNumber, String family) {
        String identifier = nhsNumber == null ? "" : """
                "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "%s"}],""".formatted(nhsNumber);
        String org = id.equals("pat-1") && nhsNumber != null && family.startsWith("Smith")
                ? ", \"managingOrganization\": {\"reference\": \"Organization/org-1\"}" : "";
        return """
                {"resourceType": "Patient", "id": "%s", %s "name": [{"family": "%s"}], "birthDate": "1970-03-04"%s}"""
                .formatted(id, identifier, family, org).replace("\n", "");
    }

    private static String observation(String id, String patient) {
        return """
                {"resourceType": "Observation", "id": "%s", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "2024-05-01T10:00:00Z",
                 "valueQuantity": {"value": 72, "unit": "beats/minute", "system": "http://unitsofmeasure.org", "code": "/min"}}"""
                .formatted(id, patient).replace("\n", "");
    }
}
