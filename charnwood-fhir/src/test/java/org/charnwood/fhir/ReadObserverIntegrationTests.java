package org.charnwood.fhir;

import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.fhir.store.ResourceStore.HistoryQuery;
import org.charnwood.fhir.testing.TestDatabase;
import org.charnwood.fhir.testing.TestRepositories;
import org.charnwood.fhir.validation.ParseOnlyValidator;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read observer hears of every resource the repository's reads hand back, and of nothing it does not. */
class ReadObserverIntegrationTests {

    private final TestDatabase db = TestDatabase.get();
    private final List<String> heard = new ArrayList<>();
    private FhirRepository repository;
    private String patient;
    private String observation;

    @BeforeEach
    void setUp() {
        db.reset();
        repository = TestRepositories.with(new ParseOnlyValidator(),
                resources -> resources.forEach(r -> heard.add(r.type() + "/" + r.id() + "/" + r.version())));
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Okoro"));
        patient = repository.inTransaction(s -> s.create(p)).id();
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().setText("pulse");
        o.setSubject(new Reference("Patient/" + patient));
        observation = repository.inTransaction(s -> s.create(o)).id();
        heard.clear();
    }

    @Test
    void readsSearchesIncludesAndHistoryAreHeard() {
        repository.read("Patient", patient);
        repository.vread("Observation", observation, 1);
        assertThat(heard).containsExactly("Patient/" + patient + "/1", "Observation/" + observation + "/1");

        heard.clear();
        repository.search(new SearchRequest("Observation", Map.of("_include", List.of("Observation:subject")), false));
        assertThat(heard).containsExactly("Observation/" + observation + "/1", "Patient/" + patient + "/1");

        heard.clear();
        repository.history(new HistoryQuery("Patient", patient, null, null, 10, 0));
        assertThat(heard).containsExactly("Patient/" + patient + "/1");
    }

    @Test
    void whatTheScopeHidesOrWhatIsNotFoundIsNotHeard() {
        AccessScope nobody = AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of(), Set.of());
        repository.search(new SearchRequest("Observation", Map.of(), false), nobody);
        assertThatThrownBy(() -> repository.read("Observation", observation, nobody))
                .isInstanceOf(FhirException.class);
        assertThatThrownBy(() -> repository.read("Patient", "nobody")).isInstanceOf(FhirException.class);
        assertThat(heard).isEmpty();
    }
}
