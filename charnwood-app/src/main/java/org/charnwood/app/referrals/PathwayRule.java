package org.charnwood.app.referrals;

import java.util.List;

/**
 * One acceptance or exclusion rule of a pathway. An {@code accept} rule must hold for the patient; an
 * {@code exclude} rule must not. A rule may name a pathway that fits instead when the patient falls foul of it.
 *
 * @param kind        accept or exclude
 * @param test        what is tested, with its parameters
 * @param description the rule as people read it ("For adults aged 18 and over"), used in every message about it
 * @param redirect    the canonical URL of the pathway to suggest instead, or null
 */
record PathwayRule(Kind kind, Test test, String description, String redirect) {

    enum Kind { ACCEPT, EXCLUDE }

    /** What a rule tests. */
    sealed interface Test permits Ecl, AgeRange, PostcodeArea, RegisteredPractice {
        String code();
    }

    /** A code in the patient's record (or the referral's reason) within the ECL constraint. */
    record Ecl(String expression) implements Test {
        public String code() {
            return "ecl";
        }
    }

    /** Age in whole years at the time of the referral, both bounds inclusive; null means unbounded. */
    record AgeRange(Integer min, Integer max) implements Test {
        public String code() {
            return "age";
        }
    }

    /** The patient's home postcode starts with one of the prefixes (outward code letters or whole districts). */
    record PostcodeArea(List<String> prefixes) implements Test {
        public String code() {
            return "postcode";
        }
    }

    /** The patient's registered GP practice has an ODS code starting with one of the prefixes. */
    record RegisteredPractice(List<String> odsPrefixes) implements Test {
        public String code() {
            return "practice";
        }
    }
}
