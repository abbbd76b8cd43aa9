package org.charnwood.app.referrals;

import org.hl7.fhir.r4.model.Questionnaire;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuestionnaireAnswersTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
    private final Questionnaire districtNursing = ShippedPathways.get("district-nursing").questionnaire();
    private final Questionnaire memory = ShippedPathways.get("memory-assessment").questionnaire();

    private List<String> linkIds(Questionnaire questionnaire, Object... answers) {
        return QuestionnaireAnswers.problems(questionnaire, ReferralFixture.answers(answers), TODAY).stream()
                .map(QuestionnaireAnswers.Problem::linkId).toList();
    }

    @Test
    void namesEveryRequiredQuestionLeftUnanswered() {
        assertThat(linkIds(districtNursing)).containsExactly("nursing-need", "housebound", "reason", "consent");
    }

    @Test
    void asksAQuestionOnlyWhenItsEnableWhenHolds() {
        Object[] housebound = {"nursing-need", ReferralFixture.choice("continence"), "housebound", true,
                "reason", "Catheter", "consent", true};
        assertThat(linkIds(districtNursing, housebound)).isEmpty();
        Object[] notHousebound = {"nursing-need", ReferralFixture.choice("continence"), "housebound", false,
                "reason", "Catheter", "consent", true};
        assertThat(linkIds(districtNursing, notHousebound)).containsExactly("not-housebound-reason");
    }

    @Test
    void refusesAnAnswerToAQuestionThatIsNotAsked() {
        assertThat(linkIds(memory, "duration-months", 6, "bloods", false, "bloods-date", TODAY.minusDays(3),
                "reason", "Forgetful", "consent", true)).containsExactly("bloods-date");
    }

    @Test
    void refusesAnswersOfTheWrongTypeAChoiceNotOfferedAndAnUnknownQuestion() {
        assertThat(linkIds(memory, "duration-months", "six", "bloods", true, "bloods-date", TODAY,
                "reason", "Forgetful", "consent", ReferralFixture.choice("yes"), "shoe-size", 9))
                .containsExactlyInAnyOrder("shoe-size", "duration-months", "consent");
        assertThat(linkIds(districtNursing, "nursing-need", ReferralFixture.choice("gardening"), "housebound", true,
                "reason", "x", "consent", true)).containsExactly("nursing-need");
    }

    @Test
    void refusesADateThatCannotBeRight() {
        assertThat(linkIds(memory, "duration-months", 6, "bloods", true, "bloods-date", TODAY.plusYears(3),
                "reason", "Forgetful", "consent", true)).containsExactly("bloods-date");
    }
}
