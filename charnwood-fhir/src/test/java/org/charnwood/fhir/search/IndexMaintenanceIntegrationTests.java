package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.WriteResult;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexMaintenanceIntegrationTests {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    private SearchFixture fx;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
    }

    private static Patient patient(String family, String nhsNumber) {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily(family));
        p.addIdentifier(new Identifier().setSystem(NHS).setValue(nhsNumber));
        return p;
    }

    @Test
    void updateReplacesTheIndexRows() {
        String id = fx.create(patient("Smith", "9434765919"));
        Patient renamed = patient("Jones", "9434765919");
        renamed.setId(id);
        fx.put(renamed);

        assertThat(fx.ids("Patient", "family=smith")).isEmpty();
        assertThat(fx.ids("Patient", "family=jones")).containsExactly(id);
        assertThat(fx.db.count("select count(*) from idx_token where param = 'identifier'")).isEqualTo(1);
    }

    @Test
    void deleteRemovesEveryIndexRow() {
        String id = fx.create(patient("Smith", "9434765919"));
        fx.delete("Patient", id);

        assertThat(fx.ids("Patient", "identifier=9434765919")).isEmpty();
        for (String table : IndexRows.tableNames()) {
            assertThat(fx.db.count("select count(*) from " + table)).as(table).isZero();
        }
    }

    @Test
    void resourceRecreatedAfterDeleteIsIndexedAgain() {
        String id = fx.create(patient("Smith", "9434765919"));
        fx.delete("Patient", id);
        Patient back = patient("Smith", "9434765919");
        back.setId(id);
        fx.put(back);

        assertThat(fx.ids("Patient", "family=smith")).containsExactly(id);
    }

    @Test
    void resourcesWrittenInOneTransactionAreSearchableWithinIt() {
        String found = fx.repository.inTransaction(s -> {
            s.create(patient("Smith", "9434765919"));
            return s.search(SearchFixture.request("Patient", "identifier=9434765919", false)).matches().size() + "";
        });
        assertThat(found).isEqualTo("1");
    }

    @Test
    void conditionalCreateFindsTheExistingResource() {
        String id = fx.create(patient("Smith", "9434765919"));

        WriteResult again = fx.repository.inTransaction(s -> s.conditionalCreate(patient("Smith", "9434765919"),
                "identifier=" + NHS + "|9434765919"));

        assertThat(again.kind()).isEqualTo(WriteResult.Kind.ALREADY_EXISTS);
        assertThat(again.id()).isEqualTo(id);
    }

    @Test
    void conditionalUpdateAndDeleteUseTheSearch() {
        String id = fx.create(patient("Smith", "9434765919"));
        fx.create(patient("Smith", "9434765870"));

        WriteResult updated = fx.repository.inTransaction(s -> s.conditionalUpdate("Patient",
                "identifier=" + NHS + "|9434765919", patient("Smythe", "9434765919"), null));
        assertThat(updated.id()).isEqualTo(id);
        assertThat(fx.ids("Patient", "family=smythe")).containsExactly(id);

        assertThatThrownBy(() -> fx.repository.inTransaction(s -> s.conditionalUpdate("Patient", "family=sm",
                patient("X", "1"), null)))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(412));

        fx.repository.inTransaction(s -> s.conditionalDelete("Patient", "family=smith"));
        assertThat(fx.ids("Patient", "")).containsExactly(id);
    }

    @Test
    void customSearchParameterIsIndexedAndSearchable() {
        SearchParameterRegistry registry = SearchParameterRegistry.r4();
        SearchParameter sp = new SearchParameter();
        sp.setUrl("https://charnwood.nhs.example/fhir/SearchParameter/patient-nickname");
        sp.setCode("nickname");
        sp.addBase("Patient");
        sp.setType(Enumerations.SearchParamType.STRING);
        sp.setExpression("Patient.name.where(use='nickname').given");
        registry.register(sp);
        SearchFixture custom = new SearchFixture(registry);
        Patient p = patient("Smith", "9434765919");
        p.addName().setUse(HumanName.NameUse.NICKNAME).addGiven("Smudge");
        String id = custom.create(p);

        assertThat(custom.ids("Patient", "nickname=smu")).containsExactly(id);
        assertThat(custom.ids("Patient", "nickname=smith")).isEmpty();
    }
}
