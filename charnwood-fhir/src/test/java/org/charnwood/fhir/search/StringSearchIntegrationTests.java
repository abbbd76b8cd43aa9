package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StringSearchIntegrationTests {

    private SearchFixture fx;
    private String muller;
    private String smith;
    private String nameless;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        Patient p1 = new Patient();
        p1.addName(new HumanName().setFamily("Müller").addGiven("Zoë").addGiven("Anne").addPrefix("Dr"));
        p1.addAddress(new Address().addLine("1 Forest Road").setCity("Loughborough").setPostalCode("LE11 3TU"));
        muller = fx.create(p1);
        Patient p2 = new Patient();
        p2.addName(new HumanName().setFamily("Smith").addGiven("Alex").addGiven("Sam").setText("Alex Sam Smith"));
        p2.addAddress(new Address().setCity("Leicester").setPostalCode("LE1 7RH"));
        smith = fx.create(p2);
        nameless = fx.create(new Patient().setActive(true));
    }

    @Test
    void matchesValuesThatStartWithTheSearchIgnoringCaseAndAccents() {
        assertThat(fx.ids("Patient", "family=mul")).containsExactly(muller);
        assertThat(fx.ids("Patient", "family=MÜLLER")).containsExactly(muller);
        assertThat(fx.ids("Patient", "given=zoe")).containsExactly(muller);
        assertThat(fx.ids("Patient", "family=ller")).isEmpty();
    }

    @Test
    void nameMatchesAnyPartOfTheHumanName() {
        assertThat(fx.ids("Patient", "name=dr")).containsExactly(muller);
        assertThat(fx.ids("Patient", "name=sam")).containsExactly(smith);
        assertThat(fx.ids("Patient", "name=alex sam")).containsExactly(smith);
    }

    @Test
    void exactModifierNeedsTheWholeValueWithItsCaseAndAccents() {
        assertThat(fx.ids("Patient", "family:exact=Müller")).containsExactly(muller);
        assertThat(fx.ids("Patient", "family:exact=muller")).isEmpty();
        assertThat(fx.ids("Patient", "family:exact=Mül")).isEmpty();
    }

    @Test
    void containsModifierMatchesAnywhereInTheValue() {
        assertThat(fx.ids("Patient", "family:contains=LLE")).containsExactly(muller);
        assertThat(fx.ids("Patient", "address:contains=borough")).containsExactly(muller);
    }

    @Test
    void addressMatchesAnyPartAndItsOwnParametersTheirPart() {
        assertThat(fx.ids("Patient", "address=leic")).containsExactly(smith);
        assertThat(fx.ids("Patient", "address=1 forest")).containsExactly(muller);
        assertThat(fx.ids("Patient", "address=forest")).as("a line matches from its start only").isEmpty();
        assertThat(fx.ids("Patient", "address-city=lough")).containsExactly(muller);
        assertThat(fx.ids("Patient", "address-postalcode=LE1")).containsExactlyInAnyOrder(muller, smith);
        assertThat(fx.ids("Patient", "address-postalcode=le1 ")).containsExactly(smith);
    }

    @Test
    void commaSeparatedValuesAreAlternatives() {
        assertThat(fx.ids("Patient", "family=smith,muller")).containsExactlyInAnyOrder(muller, smith);
    }

    @Test
    void escapedCommaIsPartOfTheValue() {
        Patient odd = new Patient();
        odd.addName(new HumanName().setFamily("Smith,Jones"));
        String id = fx.create(odd);

        assertThat(fx.ids("Patient", "family=smith\\,j")).containsExactly(id);
    }

    @Test
    void repeatedParametersMustAllMatch() {
        assertThat(fx.ids("Patient", "given=alex&given=sam")).containsExactly(smith);
        assertThat(fx.ids("Patient", "given=alex&given=anne")).isEmpty();
    }

    @Test
    void missingModifierFindsResourcesWithAndWithoutValues() {
        assertThat(fx.ids("Patient", "family:missing=true")).containsExactly(nameless);
        assertThat(fx.ids("Patient", "family:missing=false")).containsExactlyInAnyOrder(muller, smith);
    }

    @Test
    void wildcardCharactersInTheValueMatchOnlyThemselves() {
        assertThat(fx.ids("Patient", "family=%25")).isEmpty();
        assertThat(fx.ids("Patient", "family=_mith")).isEmpty();
    }

    @Test
    void valuesLongerThanTheIndexedPartAreMatchedOnTheWholeOfThem() {
        // Two addresses alike for their first 300 characters, a word only after that in each.
        String common = "Flat 1 ".repeat(42) + "Block B";
        assertThat(common.length()).isGreaterThan(SearchText.MAX_INDEXED);
        String kestrel = fx.create(new Patient().addAddress(new Address().setText(common + " Kestrel Court")));
        String heron = fx.create(new Patient().addAddress(new Address().setText(common + " Heron Wharf Ä")));

        assertThat(fx.ids("Patient", "address:contains=kestrel")).containsExactly(kestrel);
        assertThat(fx.ids("Patient", "address:contains=heron wharf a")).containsExactly(heron);
        assertThat(fx.ids("Patient", "address:contains=block b")).containsExactlyInAnyOrder(kestrel, heron);
        assertThat(fx.ids("Patient", "address:contains=" + common.substring(3) + " kes")).containsExactly(kestrel);
        assertThat(fx.ids("Patient", "address=" + common.toUpperCase() + " kestrel")).containsExactly(kestrel);
        assertThat(fx.ids("Patient", "address=" + common + " Heron")).containsExactly(heron);
        assertThat(fx.ids("Patient", "address=" + common)).containsExactlyInAnyOrder(kestrel, heron);
        assertThat(fx.ids("Patient", "address=" + common + " Osprey")).isEmpty();
        assertThat(fx.ids("Patient", "address:exact=" + common + " Kestrel Court")).containsExactly(kestrel);
        assertThat(fx.ids("Patient", "address:exact=" + common + " Kestrel")).isEmpty();
        assertThat(fx.ids("Patient", "address:exact=" + common + " kestrel court")).isEmpty();
    }

    @Test
    void theMigrationKeepsTheWholeOfLongValuesStoredBeforeIt() throws Exception {
        String common = "Flat 1 ".repeat(42) + "Block B";
        String kestrel = fx.create(new Patient().addAddress(new Address().setText(common + " Kestrel Court")));
        String script = new String(getClass().getResourceAsStream("/db/migration/fhir/V494__string_values_kept_whole.sql")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try (java.sql.Connection c = fx.db.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("update idx_string set value_long = null");
            assertThat(fx.ids("Patient", "address:contains=kestrel")).as("as stored before the migration").isEmpty();
            s.execute(script.substring(script.indexOf("update idx_string")));
        }
        assertThat(fx.ids("Patient", "address:contains=kestrel")).containsExactly(kestrel);
        assertThat(fx.ids("Patient", "address=" + common + " kestrel")).containsExactly(kestrel);
    }
}
