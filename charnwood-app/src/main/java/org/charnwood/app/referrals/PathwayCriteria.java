package org.charnwood.app.referrals;

import org.charnwood.terminology.ConceptGraph;
import org.charnwood.terminology.ecl.Ecl;
import org.charnwood.terminology.ecl.EclBudget;
import org.charnwood.terminology.ecl.EclException;
import org.charnwood.terminology.ecl.EclExpression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a patient fits a pathway: every accept rule must hold and no exclude rule may. A rule that
 * cannot be checked (no date of birth for an age rule, no terminology for ECL) counts against an accept rule,
 * so that nothing is accepted on missing information, and never triggers an exclusion.
 */
final class PathwayCriteria {

    /**
     * One rule the patient falls foul of, and why in words.
     *
     * @param unchecked the rule could not be checked (information missing), rather than failed
     */
    record Failure(PathwayRule rule, String message, boolean unchecked) {
    }

    private PathwayCriteria() {
    }

    /** The rules the patient falls foul of; empty when the pathway fits. */
    static List<Failure> failures(Pathway pathway, PatientFacts facts, ConceptGraph graph) {
        List<Failure> failures = new ArrayList<>();
        for (PathwayRule rule : pathway.rules()) {
            Boolean holds = holds(rule.test(), facts, graph);
            if (rule.kind() == PathwayRule.Kind.ACCEPT && !Boolean.TRUE.equals(holds)) {
                failures.add(new Failure(rule, holds == null
                        ? rule.description() + ": this cannot be checked because " + missing(rule.test(), graph)
                        : rule.description() + ": " + notMet(rule.test(), facts), holds == null));
            } else if (rule.kind() == PathwayRule.Kind.EXCLUDE && Boolean.TRUE.equals(holds)) {
                failures.add(new Failure(rule, rule.description(), false));
            }
        }
        return failures;
    }

    /** Whether the test holds for the patient; null when it cannot be told. */
    static Boolean holds(PathwayRule.Test test, PatientFacts facts, ConceptGraph graph) {
        return switch (test) {
            case PathwayRule.Ecl ecl -> {
                if (graph == null) {
                    yield null;
                }
                EclExpression expression;
                try {
                    expression = Ecl.parse(ecl.expression());
                } catch (EclException e) {
                    yield null;
                }
                yield facts.codes().stream().anyMatch(code -> matches(expression, graph, code));
            }
            case PathwayRule.AgeRange range -> {
                Integer age = facts.age();
                yield age == null ? null
                        : (range.min() == null || age >= range.min()) && (range.max() == null || age <= range.max());
            }
            case PathwayRule.PostcodeArea area -> facts.postcode() == null ? null
                    : area.prefixes().stream().anyMatch(p -> inArea(facts.postcode(), p));
            case PathwayRule.RegisteredPractice practice -> facts.practices().isEmpty() ? null
                    : facts.practices().stream().anyMatch(ods -> practice.odsPrefixes().stream()
                    .anyMatch(p -> ods.toUpperCase(Locale.ROOT).startsWith(p)));
        };
    }

    private static boolean matches(EclExpression expression, ConceptGraph graph, long code) {
        try {
            return expression.matchesConceptId(graph, code, EclBudget.standard());
        } catch (EclException e) {
            return false;
        }
    }

    /**
     * Whether a postcode is in the area a prefix names. Letters alone name a postcode area (LE: every LE
     * postcode, but not LEx of another area); with a district number the whole outward code must match (LE1 is
     * not LE15); a prefix with the inward part's start matches postcode sectors.
     */
    static boolean inArea(String postcode, String prefix) {
        String pc = postcode.toUpperCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
        String p = prefix.toUpperCase(Locale.ROOT).trim();
        if (!pc.contains(" ") && pc.length() > 4) {
            pc = pc.substring(0, pc.length() - 3) + " " + pc.substring(pc.length() - 3);
        }
        String outward = pc.contains(" ") ? pc.substring(0, pc.indexOf(' ')) : pc;
        if (p.chars().allMatch(Character::isLetter)) {
            return outward.replaceAll("[0-9].*$", "").equals(p);
        }
        if (p.contains(" ")) {
            return pc.startsWith(p);
        }
        return outward.equals(p);
    }

    private static String missing(PathwayRule.Test test, ConceptGraph graph) {
        return switch (test) {
            case PathwayRule.Ecl ignored -> "no SNOMED CT release is loaded";
            case PathwayRule.AgeRange ignored -> "the patient's date of birth is not recorded";
            case PathwayRule.PostcodeArea ignored -> "the patient's home postcode is not recorded";
            case PathwayRule.RegisteredPractice ignored -> "the patient's registered GP practice is not recorded";
        };
    }

    private static String notMet(PathwayRule.Test test, PatientFacts facts) {
        return switch (test) {
            case PathwayRule.Ecl ignored -> "no code in the patient's record or the referral's reason matches";
            case PathwayRule.AgeRange ignored -> "the patient is " + facts.age();
            case PathwayRule.PostcodeArea ignored -> "the patient's postcode " + facts.postcode()
                    + " is outside the area";
            case PathwayRule.RegisteredPractice ignored -> "the patient's practice " + String.join(", ", facts.practices())
                    + " is outside the area";
        };
    }
}
