package org.charnwood.fhir;

import org.charnwood.fhir.TransactionListener.WrittenResource;
import org.charnwood.fhir.search.SearchIndexer;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.search.SqlSearchEngine;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionListenerIntegrationTests {

    private static final SearchParameterRegistry REGISTRY = SearchParameterRegistry.r4();
    private final TestDatabase db = TestDatabase.get();
    private final List<WrittenResource> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db.reset();
        seen.clear();
    }

    private FhirRepository repository(TransactionListener listener) {
        RepositorySettings settings = RepositorySettings.defaults();
        return new FhirRepository(db.dataSource(), new ParseOnlyValidator(),
                new SearchIndexer(REGISTRY, ServerBase.none()),
                new SqlSearchEngine(REGISTRY, ServerBase.none(), settings, Clock.systemUTC()), settings,
                Clock.systemUTC(), listener);
    }

    @Test
    void listenerSeesEveryWrittenVersionBeforeCommit() {
        FhirRepository repository = repository((c, changes) -> seen.addAll(changes));
        WriteResult created = repository.inTransaction(s -> {
            WriteResult r = s.create(patient("Smith"));
            Patient changed = patient("Jones");
            changed.setId(r.id());
            s.update("Patient", r.id(), changed, null);
            return r;
        });
        repository.inTransaction(s -> s.patch("Patient", created.id(),
                "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]", null));
        repository.inTransaction(s -> s.delete("Patient", created.id()));

        assertThat(seen).extracting(WrittenResource::method)
                .containsExactly(ChangeMethod.CREATE, ChangeMethod.UPDATE, ChangeMethod.UPDATE, ChangeMethod.DELETE);
        assertThat(seen).extracting(WrittenResource::patch).containsExactly(false, false, true, false);
        assertThat(seen.get(1).json()).contains("Jones");
        // A delete carries the content of the version it deleted, so a listener can tell whose data it was.
        assertThat(seen.get(3).json()).contains("Jones").contains("\"gender\":\"female\"");
        assertThat(seen.get(3).version()).isEqualTo(4);
    }

    @Test
    void listenerWritesCommitWithTheChange() {
        FhirRepository repository = repository((c, changes) -> {
            try (Statement st = c.createStatement()) {
                st.execute("create table if not exists listener_probe(n int)");
                st.execute("insert into listener_probe values (" + changes.size() + ")");
            }
        });
        repository.inTransaction(s -> s.create(patient("Smith")));

        assertThat(db.count("select count(*) from listener_probe")).isEqualTo(1);
        db.count("select count(*) from (select 1) x");
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("drop table listener_probe");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listenerFailureRollsTheChangeBack() {
        FhirRepository repository = repository((c, changes) -> {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "refused by listener");
        });

        assertThatThrownBy(() -> repository.inTransaction(s -> s.create(patient("Smith"))))
                .isInstanceOf(FhirException.class);
        assertThat(db.count("select count(*) from fhir_resource")).isZero();
    }

    @Test
    void listenerIsNotCalledWhenNothingWasWritten() {
        FhirRepository repository = repository((c, changes) -> seen.addAll(changes));
        repository.inTransaction(s -> s.current("Patient", "nobody"));

        assertThat(seen).isEmpty();
    }

    private static Patient patient(String family) {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily(family));
        return p;
    }
}
