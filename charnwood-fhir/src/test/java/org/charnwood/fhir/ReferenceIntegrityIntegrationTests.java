package org.charnwood.fhir;

import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.search.SqlSearchEngine;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** References written to the store resolve, by whatever form they name their target. */
class ReferenceIntegrityIntegrationTests {

    private static final SearchParameterRegistry REGISTRY = SearchParameterRegistry.r4();
    private static final String OUR_BASE = "https://fhir.charnwood.example/r4";

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;

    @BeforeEach
    void setUp() {
        db.reset();
        ServerBase base = ServerBase.of(OUR_BASE);
        RepositorySettings settings = RepositorySettings.defaults();
        repository = new FhirRepository(db.dataSource(), new ParseOnlyValidator(), new SearchIndexer(REGISTRY, base),
                new SqlSearchEngine(REGISTRY, base, settings, Clock.systemUTC()), settings, Clock.systemUTC());
    }

    // ---- dangling references -----------------------------------------------------------

    @Test
    void aReferenceByThisServersAddressToNothingIsRefused() {
        FhirException refused = refused(observation(OUR_BASE + "/Patient/nope"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.getMessage()).contains("Patient/nope");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void aReferenceByThisServersAddressToAResourceOnFileIsAccepted() {
        put(patient("p1", "Smith"));

        create(observation(OUR_BASE + "/Patient/p1"));
        create(observation(OUR_BASE.toUpperCase() + "/Patient/p1/_history/1"));

        assertThat(db.count("select count(*) from fhir_resource where res_type = 'Observation'")).isEqualTo(2);
    }

    @Test
    void aReferenceToAnotherServerIsNotChecked() {
        create(observation("https://elsewhere.example/fhir/Patient/nope"));

        assertThat(db.count("select count(*) from fhir_resource")).isEqualTo(1);
    }

    @Test
    void aReferenceInAnExtensionOfAPrimitiveValueToNothingIsRefused() {
        FhirException refused = refused(new ResourceParser().parse("""
                {"resourceType":"Patient","birthDate":"1970-01-01","_birthDate":{"extension":[
                  {"url":"https://example.org/recorded-by","valueReference":{"reference":"Practitioner/nope"}}]}}""",
                FhirFormat.JSON));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.getMessage()).contains("Practitioner/nope");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    // ---- deleting what others refer to -----------------------------------------------------

    @Test
    void aResourceReferredToFromAnExtensionCannotBeDeleted() {
        put(practitioner("pr1"));
        Patient patient = patient("p1", "Smith");
        patient.addExtension("https://example.org/named-nurse", new Reference("Practitioner/pr1"));
        put(patient);

        assertDeleteRefused("Practitioner", "pr1", "Patient/p1");
    }

    @Test
    void aResourceReferredToFromAnExtensionOfAPrimitiveValueCannotBeDeleted() {
        put(practitioner("pr1"));
        Patient patient = patient("p1", "Smith");
        patient.getBirthDateElement().setValueAsString("1970-01-01");
        patient.getBirthDateElement().addExtension("https://example.org/recorded-by", new Reference("Practitioner/pr1"));
        put(patient);

        assertDeleteRefused("Practitioner", "pr1", "Patient/p1");
    }

    @Test
    void aResourceReferredToFromAContainedResourceCannotBeDeleted() {
        put(practitioner("pr1"));
        Patient carer = patient("carer", "Carer");
        carer.addGeneralPractitioner(new Reference("Practitioner/pr1"));
        Observation observation = observation("#carer");
        observation.setId("o1");
        observation.addContained(carer);
        put(observation);

        assertDeleteRefused("Practitioner", "pr1", "Observation/o1");
    }

    @Test
    void aResourceReferredToFromAnElementNoSearchParameterIndexesCannotBeDeleted() {
        put(new org.hl7.fhir.r4.model.Organization().setName("Next of kin's employer").setId("o1"));
        Patient patient = patient("p1", "Smith");
        patient.addContact().setOrganization(new Reference(OUR_BASE + "/Organization/o1"));
        put(patient);

        assertDeleteRefused("Organization", "o1", "Patient/p1");
    }

    @Test
    void aResourceCanBeDeletedOnceNoCurrentVersionRefersToIt() {
        put(practitioner("pr1"));
        put(practitioner("pr2"));
        Patient patient = patient("p1", "Smith");
        patient.addExtension("https://example.org/named-nurse", new Reference("Practitioner/pr1"));
        patient.addExtension("https://example.org/named-nurse", new Reference("Practitioner/pr2"));
        put(patient);
        Patient changed = patient("p1", "Smith");
        changed.addExtension("https://example.org/named-nurse", new Reference("Practitioner/pr2"));
        put(changed);

        repository.inTransaction(s -> s.delete("Practitioner", "pr1"));
        assertDeleteRefused("Practitioner", "pr2", "Patient/p1");
        repository.inTransaction(s -> s.delete("Patient", "p1"));
        repository.inTransaction(s -> s.delete("Practitioner", "pr2"));

        assertThat(db.count("select count(*) from fhir_resource where deleted")).isEqualTo(3);
        assertThat(db.count("select count(*) from fhir_link")).isZero();
    }

    @Test
    void aResourceReferringToItselfCanBeDeleted() {
        Patient patient = patient("p1", "Smith");
        patient.addExtension("https://example.org/self", new Reference("Patient/p1"));
        put(patient);

        repository.inTransaction(s -> s.delete("Patient", "p1"));

        assertThat(db.count("select count(*) from fhir_resource where deleted")).isEqualTo(1);
    }

    @Test
    void aBulkImportKeepsWhatItsResourcesReferToAsTheOrdinaryWritePathDoes() {
        Patient patient = patient("p1", "Smith");
        patient.addExtension("https://example.org/named-nurse", new Reference("Practitioner/pr1"));
        patient.addContact().setOrganization(new Reference("Organization/o1"));
        repository.inTransaction(s -> {
            s.checkReferencesElsewhere();
            return s.importAll(List.of(practitioner("pr1"), patient,
                    new org.hl7.fhir.r4.model.Organization().setName("Employer").setId("o1")));
        });

        assertThat(links()).containsExactlyInAnyOrder("Patient/p1 -> Practitioner/pr1", "Patient/p1 -> Organization/o1");
        assertDeleteRefused("Practitioner", "pr1", "Patient/p1");

        // Imported again, as an update, without the extension: the practitioner is free to go.
        Patient again = patient("p1", "Smith");
        again.addContact().setOrganization(new Reference("Organization/o1"));
        repository.inTransaction(s -> {
            s.checkReferencesElsewhere();
            return s.importAll(List.of(again));
        });

        assertThat(links()).containsExactly("Patient/p1 -> Organization/o1");
        repository.inTransaction(s -> s.delete("Practitioner", "pr1"));
        assertDeleteRefused("Organization", "o1", "Patient/p1");
    }

    @Test
    void theMigrationGivesResourcesStoredBeforeItTheLinksTheWritePathKeeps() throws Exception {
        put(practitioner("pr1"));
        put(practitioner("pr2"));
        put(new org.hl7.fhir.r4.model.Organization().setName("Employer").setId("o1"));
        Patient patient = patient("p1", "Smith");
        patient.getBirthDateElement().setValueAsString("1970-01-01");
        patient.getBirthDateElement().addExtension("https://example.org/recorded-by",
                new Reference("Practitioner/pr1/_history/1"));
        patient.addContact().setOrganization(new Reference("Organization/o1"));
        patient.addGeneralPractitioner(new Reference(OUR_BASE + "/Practitioner/pr2"));
        patient.addExtension("https://example.org/self", new Reference("Patient/p1"));
        patient.addExtension("https://example.org/elsewhere", new Reference("https://elsewhere.example/Patient/9"));
        put(patient);
        Observation observation = observation("#carer");
        observation.setId("obs1");
        observation.addContained(patient("carer", "Carer").addGeneralPractitioner(new Reference("Practitioner/pr1")));
        put(observation);
        List<String> written = links();

        String migration = new String(getClass().getResourceAsStream(
                "/db/migration/fhir/V477__reference_links.sql").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String backfill = migration.substring(migration.indexOf("insert into fhir_link"));
        repository.withConnection(c -> {
            try (var statement = c.createStatement()) {
                statement.execute("truncate fhir_link");
                statement.execute(backfill);
            }
            return null;
        });

        assertThat(links()).containsExactlyInAnyOrderElementsOf(written).containsExactlyInAnyOrder(
                "Patient/p1 -> Practitioner/pr1", "Patient/p1 -> Organization/o1", "Patient/p1 -> Practitioner/pr2",
                "Observation/obs1 -> Practitioner/pr1");
    }

    private void assertDeleteRefused(String type, String id, String referrer) {
        FhirException refused = catchThrowableOfType(FhirException.class,
                () -> repository.inTransaction(s -> s.delete(type, id)));
        assertThat(refused).as("deleting %s/%s should be refused", type, id).isNotNull();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.getMessage()).contains(referrer);
        assertThat(repository.read(type, id).id()).isEqualTo(id);
    }

    private List<String> links() {
        return repository.withConnection(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var rs = c.createStatement().executeQuery("""
                    select r.res_type || '/' || r.res_id || ' -> ' || l.target_type || '/' || l.target_id
                      from fhir_link l join fhir_resource r on r.res_pk = l.res_pk""")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    // ---- helpers -------------------------------------------------------------------------

    private String create(Resource resource) {
        return repository.inTransaction(s -> s.create(resource)).id();
    }

    private void put(Resource resource) {
        repository.inTransaction(s -> s.update(resource.fhirType(), resource.getIdPart(), resource, null));
    }

    private FhirException refused(Resource resource) {
        FhirException refused = catchThrowableOfType(FhirException.class, () -> create(resource));
        assertThat(refused).as("the write should be refused").isNotNull();
        return refused;
    }

    private static Patient patient(String id, String family) {
        Patient patient = new Patient();
        patient.setId(id);
        patient.addName(new HumanName().setFamily(family));
        return patient;
    }

    private static Practitioner practitioner(String id) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(id);
        practitioner.addName(new HumanName().setFamily("Nurse"));
        return practitioner;
    }

    private static Observation observation(String subject) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("pulse");
        observation.setSubject(new Reference(subject));
        return observation;
    }
}
