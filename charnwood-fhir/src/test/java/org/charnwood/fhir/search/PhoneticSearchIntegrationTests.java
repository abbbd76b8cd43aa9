package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code phonetic}: family and given names that sound alike (Soundex), not names as written. */
class PhoneticSearchIntegrationTests {

    private SearchFixture fx;
    private String smith;
    private String smyth;
    private String daSilva;
    private String nameless;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        smith = fx.create(new Patient().addName(new HumanName().setFamily("Smith").addGiven("Catherine")));
        smyth = fx.create(new Patient().addName(new HumanName().setFamily("Smyth").addGiven("Kathryn")));
        daSilva = fx.create(new Patient().addName(new HumanName().setFamily("Da Silva").addGiven("Zoë")
                .setText("Mrs Zoë Da Silva")));
        nameless = fx.create(new Patient().setActive(true));
    }

    @Test
    void soundexCodesFollowTheStandardRules() {
        assertThat(Phonetic.soundex("robert")).isEqualTo("r163");
        assertThat(Phonetic.soundex("rupert")).isEqualTo("r163");
        assertThat(Phonetic.soundex("ashcraft")).as("h between s and c").isEqualTo("a261");
        assertThat(Phonetic.soundex("tymczak")).as("a vowel between c and k").isEqualTo("t522");
        assertThat(Phonetic.soundex("pfister")).as("the first letter's digit").isEqualTo("p236");
        assertThat(Phonetic.soundex("lee")).isEqualTo("l000");
    }

    @Test
    void namesThatSoundAlikeMatch() {
        assertThat(fx.ids("Patient", "phonetic=smith")).containsExactlyInAnyOrder(smith, smyth);
        assertThat(fx.ids("Patient", "phonetic=SMYTHE")).containsExactlyInAnyOrder(smith, smyth);
        assertThat(fx.ids("Patient", "phonetic=kathrin")).containsExactly(smyth);
        assertThat(fx.ids("Patient", "phonetic=sylva")).containsExactly(daSilva);
        assertThat(fx.ids("Patient", "phonetic=da silva")).containsExactly(daSilva);
        assertThat(fx.ids("Patient", "phonetic=zoe")).containsExactly(daSilva);
        assertThat(fx.ids("Patient", "phonetic=smi")).as("a sound, not the start of a name").isEmpty();
        assertThat(fx.ids("Patient", "phonetic=mrs")).as("prefix and text are not family or given names").isEmpty();
        assertThat(fx.ids("Patient", "phonetic=smith,silva")).containsExactlyInAnyOrder(smith, smyth, daSilva);
        assertThat(fx.ids("Patient", "phonetic:missing=true")).containsExactly(nameless);
        // name still matches as written
        assertThat(fx.ids("Patient", "name=smi")).containsExactly(smith);

        String practitioner = fx.create(new Practitioner().addName(new HumanName().setFamily("Smithe")));
        assertThat(fx.ids("Practitioner", "phonetic=smith")).containsExactly(practitioner);
    }

    @Test
    void aValueWithoutLettersOrAModifierIsRefused() {
        SearchFixture.assertRefused(fx.refusal("Patient", "phonetic=1234"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "phonetic", "no letters");
        SearchFixture.assertRefused(fx.refusal("Patient", "phonetic:exact=smith"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "phonetic", ":exact");
    }

    @Test
    void theMigrationWritesTheRowsTheIndexerWritesForResourcesStoredBeforeIt() throws Exception {
        fx.create(new Patient().addName(new HumanName().setFamily("O'Brien-Ñúñez").addGiven("Ánh Thu")));
        List<String> indexed = phoneticRows();
        String script = new String(getClass().getResourceAsStream("/db/migration/fhir/V495__phonetic_name_rows.sql")
                .readAllBytes(), StandardCharsets.UTF_8);
        try (Connection c = fx.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from idx_string where param = 'phonetic'");
            s.execute(script);
        }
        assertThat(indexed).anyMatch(row -> row.startsWith("Patient b650 ")).anyMatch(row -> row.startsWith("Patient a530 "));
        assertThat(phoneticRows()).containsExactlyInAnyOrderElementsOf(indexed);
    }

    private List<String> phoneticRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = fx.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select res_type, value_norm, res_pk from idx_string"
                     + " where param = 'phonetic'")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
        }
        return rows;
    }
}
