package org.charnwood.fhir;

import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.testing.TestRepositories;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FhirRepositoryIntegrationTests {

    private final TestDatabase db = TestDatabase.get();
    private FhirRepository repository;

    @BeforeEach
    void setUp() {
        db.reset();
        repository = TestRepositories.with(new ParseOnlyValidator());
    }

    @Test
    void aWriteWhoseConnectionBreaksReportsWhatBrokeItNotTheRollbackThatCouldNotFollow() {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> repository.inTransaction(s -> {
            s.create(patient("Smith"));
            // The server ends this write's backend while it is in its transaction, as a failover or restart would.
            try (var other = db.dataSource().getConnection(); var st = other.createStatement()) {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid()"
                        + " and datname = current_database() and state like 'idle in transaction%'");
            }
            return s.create(patient("Jones"));
        }));

        StringBuilder chain = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        assertThat(chain.toString()).containsIgnoringCase("terminat");
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void createdResourceCanBeReadBackWithVersionOne() {
        WriteResult created = repository.inTransaction(s -> s.create(patient("Smith")));

        StoredResource read = repository.read("Patient", created.id());

        assertThat(read.version()).isEqualTo(1);
        assertThat(read.json()).contains("Smith").contains("\"versionId\":\"1\"");
        assertThat(db.count("select count(*) from fhir_outbox")).isEqualTo(1);
    }

    @Test
    void aSessionLockMakesASecondWriterOfTheSameKeyWaitUntilTheFirstCommits() throws Exception {
        var firstHolds = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var order = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        Thread first = Thread.ofPlatform().start(() -> repository.inTransaction(s -> {
            s.lock("team-day:t1");
            firstHolds.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            order.add("first commits");
            return null;
        }));
        firstHolds.await();
        Thread second = Thread.ofPlatform().start(() -> repository.inTransaction(s -> {
            s.lock("team-day:t1");
            order.add("second holds");
            return null;
        }));
        repository.inTransaction(s -> {
            s.lock("team-day:t2");
            order.add("other key holds");
            return null;
        });
        second.join(300);
        assertThat(second.isAlive()).as("the second writer waits").isTrue();

        release.countDown();
        first.join();
        second.join();

        assertThat(order).containsExactly("other key holds", "first commits", "second holds");
    }

    @Test
    void updateWithStaleIfMatchIsRefusedWith412AndWritesNothing() {
        WriteResult created = repository.inTransaction(s -> s.create(patient("Smith")));
        Patient changed = patient("Jones");
        changed.setId(created.id());
        repository.inTransaction(s -> s.update("Patient", created.id(), changed, 1));

        Patient stale = patient("Brown");
        stale.setId(created.id());
        assertThatThrownBy(() -> repository.inTransaction(s -> s.update("Patient", created.id(), stale, 1)))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(412));
        assertThat(db.count("select count(*) from fhir_resource_version")).isEqualTo(2);
    }

    @Test
    void danglingReferenceRollsBackTheWholeTransaction() {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.getCode().setText("pulse");
        obs.setSubject(new Reference("Patient/does-not-exist"));

        assertThatThrownBy(() -> repository.inTransaction(s -> {
            s.create(patient("Smith"));
            return s.create(obs);
        })).isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
        assertThat(db.count("select count(*) from fhir_outbox")).isZero();
    }

    @Test
    void deletedResourceIsGoneButItsHistoryRemains() {
        WriteResult created = repository.inTransaction(s -> s.create(patient("Smith")));
        repository.inTransaction(s -> s.delete("Patient", created.id()));

        assertThatThrownBy(() -> repository.read("Patient", created.id()))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(410));
        assertThat(repository.vread("Patient", created.id(), 1).json()).contains("Smith");
    }

    @Test
    void updateAllMovesExistingResourcesToTheirNextVersionAndCreatesNewOnes() {
        Patient first = patient("Smith");
        first.setId("p1");
        Patient second = patient("Jones");
        second.setId("p2");
        repository.inTransaction(s -> s.updateAll(java.util.List.of(first, second)));
        repository.inTransaction(s -> s.delete("Patient", "p2"));

        Patient firstAgain = patient("Smythe");
        firstAgain.setId("p1");
        Patient secondAgain = patient("Jonas");
        secondAgain.setId("p2");
        Patient third = patient("Brown");
        third.setId("p3");
        var results = repository.inTransaction(s -> s.updateAll(java.util.List.of(firstAgain, secondAgain, third)));

        assertThat(results).extracting(WriteResult::kind, WriteResult::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple(WriteResult.Kind.UPDATED, 2),
                org.assertj.core.groups.Tuple.tuple(WriteResult.Kind.CREATED, 3),
                org.assertj.core.groups.Tuple.tuple(WriteResult.Kind.CREATED, 1));
        assertThat(repository.read("Patient", "p1").json()).contains("Smythe").contains("\"versionId\":\"2\"");
        assertThat(repository.read("Patient", "p2").json()).contains("Jonas");
        assertThat(db.count("select count(*) from fhir_resource where deleted")).isZero();
        assertThat(db.count("select count(*) from fhir_resource_version")).isEqualTo(6);
        assertThat(db.count("select count(*) from fhir_outbox")).isEqualTo(6);
        assertThat(db.count("select count(*) from idx_string where value_exact = 'Smith'")).isZero();
        assertThat(db.count("select count(*) from idx_string where value_exact = 'Smythe'")).isPositive();
    }

    @Test
    void updateAllGivesEachVersionItsOwnNumberWhenAResourceIsNamedTwice() {
        Patient once = patient("Smith");
        once.setId("p1");
        Patient twice = patient("Smythe");
        twice.setId("p1");

        repository.inTransaction(s -> s.updateAll(java.util.List.of(once, twice)));

        assertThat(repository.read("Patient", "p1").version()).isEqualTo(2);
        assertThat(repository.read("Patient", "p1").json()).contains("Smythe");
    }

    @Test
    void everyMatchReadsEveryPageOfASearchInsideAndOutsideATransaction() {
        repository.inTransaction(s -> {
            for (int i = 0; i < 7; i++) {
                s.create(patient("Paged" + i));
            }
            s.create(patient("Other"));
            return null;
        });
        java.util.Map<String, java.util.List<String>> parameters = new java.util.LinkedHashMap<>();
        parameters.put("family", java.util.List.of("Paged"));
        parameters.put("_count", java.util.List.of("3"));
        org.charnwood.fhir.search.SearchRequest request =
                new org.charnwood.fhir.search.SearchRequest("Patient", parameters, false);

        java.util.List<Long> keys = repository.inTransaction(s -> s.everyMatch(request));
        java.util.List<StoredResource> found = repository.everyMatch(request,
                org.charnwood.fhir.search.AccessScope.UNRESTRICTED);

        assertThat(keys).hasSize(7).doesNotHaveDuplicates();
        assertThat(found).extracting(StoredResource::pk).containsExactlyElementsOf(keys);
        assertThat(repository.search(request).matches()).as("one page holds three").hasSize(3);
        assertThat(parameters).as("the caller's search is left as it was").doesNotContainKey("_after");
    }

    private static Patient patient(String family) {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily(family).addGiven("Alex"));
        return p;
    }
}
