package org.charnwood.app.observations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.charnwood.app.observations.Consciousness.ALERT;
import static org.charnwood.app.observations.Consciousness.NEW_CONFUSION;
import static org.charnwood.app.observations.Consciousness.UNRESPONSIVE;
import static org.charnwood.app.observations.SpO2Scale.SCALE_1;
import static org.charnwood.app.observations.SpO2Scale.SCALE_2;

class News2CalculatorTests {

    private final News2Calculator calculator = new News2Calculator();

    private static News2Inputs set(int rr, int spo2, SpO2Scale scale, boolean oxygen, int sbp, int pulse,
                                   Consciousness acvpu, String temperature) {
        return new News2Inputs(BigDecimal.valueOf(rr), BigDecimal.valueOf(spo2), scale, oxygen, BigDecimal.valueOf(sbp),
                BigDecimal.valueOf(pulse), acvpu, new BigDecimal(temperature));
    }

    @ParameterizedTest(name = "respiration rate {0} scores {1}")
    @CsvSource({"0,3", "8,3", "9,1", "11,1", "12,0", "20,0", "21,2", "24,2", "25,3", "60,3"})
    void scoresEveryRespirationRateBandEdge(int rate, int score) {
        assertThat(News2Calculator.respirationRate(rate)).isEqualTo(score);
    }

    @ParameterizedTest(name = "SpO2 {0} on scale 1 scores {1}")
    @CsvSource({"70,3", "91,3", "92,2", "93,2", "94,1", "95,1", "96,0", "100,0"})
    void scoresEveryScale1SaturationBandEdge(int spo2, int score) {
        assertThat(News2Calculator.saturationScale1(spo2)).isEqualTo(score);
    }

    @ParameterizedTest(name = "SpO2 {0} on scale 2, oxygen {1}, scores {2}")
    @CsvSource({"70,false,3", "83,false,3", "83,true,3", "84,true,2", "85,false,2", "86,false,1", "87,true,1",
            "88,true,0", "92,true,0", "88,false,0", "92,false,0", "93,false,0", "100,false,0",
            "93,true,1", "94,true,1", "95,true,2", "96,true,2", "97,true,3", "100,true,3"})
    void scoresEveryScale2SaturationBandEdgeOnAirAndOxygen(int spo2, boolean oxygen, int score) {
        assertThat(News2Calculator.saturationScale2(spo2, oxygen)).isEqualTo(score);
    }

    @ParameterizedTest(name = "systolic {0} scores {1}")
    @CsvSource({"50,3", "90,3", "91,2", "100,2", "101,1", "110,1", "111,0", "219,0", "220,3", "260,3"})
    void scoresEverySystolicBandEdge(int sbp, int score) {
        assertThat(News2Calculator.systolic(sbp)).isEqualTo(score);
    }

    @ParameterizedTest(name = "pulse {0} scores {1}")
    @CsvSource({"20,3", "40,3", "41,1", "50,1", "51,0", "90,0", "91,1", "110,1", "111,2", "130,2", "131,3", "200,3"})
    void scoresEveryPulseBandEdge(int pulse, int score) {
        assertThat(News2Calculator.pulse(pulse)).isEqualTo(score);
    }

    @ParameterizedTest(name = "temperature {0} scores {1}")
    @CsvSource({"33.0,3", "35.0,3", "35.1,1", "36.0,1", "36.1,0", "38.0,0", "38.1,1", "39.0,1", "39.1,2", "42.0,2"})
    void scoresEveryTemperatureBandEdge(String celsius, int score) {
        assertThat(News2Calculator.temperature(new BigDecimal(celsius))).isEqualTo(score);
    }

    @ParameterizedTest(name = "temperature {0} is scored as {1}")
    @CsvSource({"36.05,36.1,0", "36.04,36.0,1", "35.05,35.1,1", "38.05,38.1,1", "39.04,39.0,1"})
    void roundsTemperatureHalfUpToOneDecimalPlaceBeforeScoring(String given, String scoredAs, int score) {
        News2Score result = calculator.score(new News2Inputs(BigDecimal.valueOf(16), BigDecimal.valueOf(97), SCALE_1,
                false, BigDecimal.valueOf(124), BigDecimal.valueOf(72), ALERT, new BigDecimal(given)));
        assertThat(result.roundedTemperature()).isEqualByComparingTo(scoredAs);
        assertThat(result.scoreOf(News2Parameter.TEMPERATURE)).isEqualTo(score);
    }

    @Test
    void scoresEveryConsciousnessLevelOtherThanAlertAsThree() {
        for (Consciousness level : Consciousness.values()) {
            News2Score score = calculator.score(set(16, 97, SCALE_1, false, 124, 72, level, "36.8"));
            assertThat(score.scoreOf(News2Parameter.CONSCIOUSNESS)).isEqualTo(level == ALERT ? 0 : 3);
        }
    }

    @Test
    void scoresSupplementalOxygenAsTwoOnBothScales() {
        assertThat(calculator.score(set(16, 90, SCALE_2, true, 124, 72, ALERT, "36.8"))
                .scoreOf(News2Parameter.AIR_OR_OXYGEN)).isEqualTo(2);
        assertThat(calculator.score(set(16, 97, SCALE_1, true, 124, 72, ALERT, "36.8"))
                .scoreOf(News2Parameter.AIR_OR_OXYGEN)).isEqualTo(2);
    }

    @Test
    void workedExample1WellPatientIsLowWithTwelveHourlyObservations() {
        News2Score score = calculator.score(set(16, 97, SCALE_1, false, 124, 72, ALERT, "36.8"));
        assertThat(score.total()).isZero();
        assertThat(score.risk()).isEqualTo(ClinicalRisk.LOW);
        assertThat(score.nextObservationsWithin()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void workedExample2ScoreOfFourWithoutARedScoreIsLow() {
        News2Score score = calculator.score(set(22, 96, SCALE_1, false, 130, 95, ALERT, "38.5"));
        assertThat(score.total()).isEqualTo(4);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.LOW);
        assertThat(score.risk().escalates()).isFalse();
        assertThat(score.nextObservationsWithin()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void workedExample3SingleRedScoreIsLowMediumAndEscalates() {
        News2Score score = calculator.score(set(7, 97, SCALE_1, false, 120, 100, ALERT, "37.0"));
        assertThat(score.total()).isEqualTo(4);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.LOW_MEDIUM);
        assertThat(score.risk().escalates()).isTrue();
        assertThat(score.nextObservationsWithin()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void workedExample4NewConfusionAloneIsLowMedium() {
        News2Score score = calculator.score(set(16, 97, SCALE_1, false, 124, 72, NEW_CONFUSION, "36.8"));
        assertThat(score.total()).isEqualTo(3);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.LOW_MEDIUM);
    }

    @Test
    void workedExample5TotalOfFiveIsMedium() {
        News2Score score = calculator.score(set(22, 97, SCALE_1, false, 120, 115, ALERT, "38.2"));
        assertThat(score.total()).isEqualTo(5);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.MEDIUM);
    }

    @Test
    void workedExample6MediumTakesPrecedenceOverARedScore() {
        News2Score score = calculator.score(set(22, 97, SCALE_1, false, 88, 72, ALERT, "35.5"));
        assertThat(score.total()).isEqualTo(6);
        assertThat(score.hasRedScore()).isTrue();
        assertThat(score.risk()).isEqualTo(ClinicalRisk.MEDIUM);
    }

    @Test
    void workedExample7HighOnOxygenNeedsContinuousMonitoring() {
        News2Score score = calculator.score(set(22, 92, SCALE_1, true, 120, 80, ALERT, "38.1"));
        assertThat(score.total()).isEqualTo(7);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.HIGH);
        assertThat(score.nextObservationsWithin()).isNull();
    }

    @Test
    void workedExample8Scale2PatientOnAirAtTargetScoresNothing() {
        assertThat(calculator.score(set(16, 88, SCALE_2, false, 124, 72, ALERT, "36.8")).total()).isZero();
        News2Score wrongScale = calculator.score(set(16, 88, SCALE_1, false, 124, 72, ALERT, "36.8"));
        assertThat(wrongScale.risk()).isEqualTo(ClinicalRisk.LOW_MEDIUM);
    }

    @Test
    void workedExample9Scale2PatientOverOxygenatedIsMedium() {
        News2Score score = calculator.score(set(16, 97, SCALE_2, true, 124, 72, ALERT, "36.8"));
        assertThat(score.total()).isEqualTo(5);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.MEDIUM);
        News2Score slightlyHigh = calculator.score(set(16, 93, SCALE_2, true, 124, 72, ALERT, "36.8"));
        assertThat(slightlyHigh.total()).isEqualTo(3);
        assertThat(slightlyHigh.risk()).isEqualTo(ClinicalRisk.LOW);
    }

    @Test
    void workedExample10SepsisLikePictureIsHigh() {
        News2Score score = calculator.score(set(24, 94, SCALE_1, false, 98, 118, ALERT, "39.2"));
        assertThat(score.total()).isEqualTo(9);
        assertThat(score.risk()).isEqualTo(ClinicalRisk.HIGH);
    }

    @Test
    void workedExample11EveryParameterAtItsWorstScoresTwenty() {
        News2Score score = calculator.score(set(30, 85, SCALE_1, true, 85, 140, UNRESPONSIVE, "34.5"));
        assertThat(score.total()).isEqualTo(20);
    }

    @Test
    void refusesAnIncompleteSetAndNamesWhatIsMissing() {
        News2Inputs incomplete = new News2Inputs(BigDecimal.valueOf(16), null, null, false, BigDecimal.valueOf(120),
                BigDecimal.valueOf(80), ALERT, null);
        assertThat(incomplete.missing())
                .containsExactly(News2Parameter.OXYGEN_SATURATION, News2Parameter.TEMPERATURE);
        assertThatThrownBy(() -> calculator.score(incomplete)).hasMessageContaining("OXYGEN_SATURATION");
    }

    @Test
    void refusesFractionsWhereTheChartExpectsWholeNumbers() {
        News2Inputs fractional = new News2Inputs(BigDecimal.valueOf(16), new BigDecimal("91.5"), SCALE_1, false,
                BigDecimal.valueOf(120), BigDecimal.valueOf(80), ALERT, new BigDecimal("36.8"));
        assertThatThrownBy(() -> calculator.score(fractional)).hasMessageContaining("whole number");
        News2Inputs wholeWithDecimals = new News2Inputs(BigDecimal.valueOf(16), new BigDecimal("96.0"), SCALE_1, false,
                BigDecimal.valueOf(120), BigDecimal.valueOf(80), ALERT, new BigDecimal("36.8"));
        assertThat(calculator.score(wholeWithDecimals).scoreOf(News2Parameter.OXYGEN_SATURATION)).isZero();
    }

    @Test
    void defaultsToScale1WhenNoScaleIsGiven() {
        News2Inputs noScale = new News2Inputs(BigDecimal.valueOf(16), BigDecimal.valueOf(88), null, false,
                BigDecimal.valueOf(120), BigDecimal.valueOf(80), ALERT, new BigDecimal("36.8"));
        assertThat(calculator.score(noScale).scale()).isEqualTo(SCALE_1);
        assertThat(calculator.score(noScale).scoreOf(News2Parameter.OXYGEN_SATURATION)).isEqualTo(3);
    }

    @Test
    void recordsSaturationUnderTheSubScoreCodeOfTheScaleInUse() {
        assertThat(News2Parameter.OXYGEN_SATURATION.subScoreCode(SCALE_1)).isEqualTo("1104311000000102");
        assertThat(News2Parameter.OXYGEN_SATURATION.subScoreCode(SCALE_2)).isEqualTo("1104321000000108");
        assertThat(News2Parameter.PULSE.subScoreCode(SCALE_2)).isEqualTo("1104351000000103");
    }
}
