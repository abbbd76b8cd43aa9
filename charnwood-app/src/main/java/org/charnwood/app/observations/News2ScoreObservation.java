package org.charnwood.app.observations;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Writes a NEWS2 score as the Observation the platform promises over FHIR: SNOMED CT 1104051000000101 with the
 * aggregate as its value, one component per parameter score under the UK Core sub-score codes, the clinical
 * risk as its interpretation, and {@code derivedFrom} pointing at the Observations that supplied the inputs.
 */
final class News2ScoreObservation {

    private News2ScoreObservation() {
    }

    static Observation build(News2Score score, String patientReference, Type effective, List<Observation> sources) {
        Observation news2 = new Observation();
        news2.setStatus(Observation.ObservationStatus.FINAL);
        news2.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")));
        news2.setCode(new CodeableConcept().addCoding(new Coding(News2Codes.SNOMED, News2Codes.NEWS2_TOTAL,
                News2Codes.NEWS2_TOTAL_DISPLAY)));
        news2.setSubject(new Reference(patientReference));
        news2.setEffective(effective.copy());
        sources.stream().filter(Observation::hasEncounter).findFirst()
                .ifPresent(o -> news2.setEncounter(o.getEncounter().copy()));
        news2.setValue(scoreQuantity(score.total()));
        ClinicalRisk risk = score.risk();
        news2.addInterpretation(new CodeableConcept()
                .addCoding(new Coding(News2Codes.RISK_SYSTEM, riskCode(risk), risk.label() + " clinical risk"))
                .setText(risk.label() + " clinical risk"));
        for (News2Parameter parameter : News2Parameter.values()) {
            news2.addComponent()
                    .setCode(new CodeableConcept().addCoding(new Coding(News2Codes.SNOMED,
                            parameter.subScoreCode(score.scale()), parameter.subScoreDisplay(score.scale()))))
                    .setValue(scoreQuantity(score.scoreOf(parameter)));
        }
        new TreeSet<>(sources.stream().map(o -> "Observation/" + o.getIdElement().getIdPart()).toList())
                .forEach(ref -> news2.addDerivedFrom(new Reference(ref)));
        return news2;
    }

    static String riskCode(ClinicalRisk risk) {
        return risk.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Whether a stored score already says what a new calculation says, so rewriting it would change nothing. */
    static boolean sameScore(Observation stored, Observation calculated) {
        return Objects.equals(value(stored), value(calculated))
                && Objects.equals(components(stored), components(calculated))
                && Objects.equals(interpretation(stored), interpretation(calculated))
                && Objects.equals(derivedFrom(stored), derivedFrom(calculated))
                && stored.getStatus() == calculated.getStatus();
    }

    private static Quantity scoreQuantity(int value) {
        return new Quantity().setValue(value).setUnit("score").setSystem(News2Codes.UCUM).setCode("{score}");
    }

    private static BigDecimal value(Observation o) {
        return o.hasValueQuantity() ? o.getValueQuantity().getValue().stripTrailingZeros() : null;
    }

    private static List<String> components(Observation o) {
        return o.getComponent().stream()
                .map(c -> c.getCode().getCodingFirstRep().getCode() + "="
                        + (c.hasValueQuantity() ? c.getValueQuantity().getValue().stripTrailingZeros().toPlainString() : ""))
                .sorted().toList();
    }

    private static String interpretation(Observation o) {
        return o.getInterpretation().stream().flatMap(c -> c.getCoding().stream())
                .filter(c -> News2Codes.RISK_SYSTEM.equals(c.getSystem())).map(Coding::getCode).findFirst().orElse(null);
    }

    private static List<String> derivedFrom(Observation o) {
        return o.getDerivedFrom().stream().map(Reference::getReference).sorted().toList();
    }
}
