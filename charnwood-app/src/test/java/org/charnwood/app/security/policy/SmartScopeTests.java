package org.charnwood.app.security.policy;

import org.charnwood.app.security.policy.SmartScope.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SmartScopeTests {

    @Test
    void readsVersionTwoLetters() {
        SmartScope s = SmartScope.parse("patient/Observation.rs").orElseThrow();
        assertThat(s.context()).isEqualTo(Context.PATIENT);
        assertThat(s.type()).isEqualTo("Observation");
        assertThat(s.letters()).containsExactlyInAnyOrder('r', 's');
        assertThat(s.query()).isNull();
    }

    @Test
    void readsVersionOneReadWriteAndStar() {
        assertThat(SmartScope.parse("system/Patient.read").orElseThrow().letters()).containsExactlyInAnyOrder('r', 's');
        assertThat(SmartScope.parse("user/Patient.write").orElseThrow().letters())
                .containsExactlyInAnyOrder('c', 'u', 'd');
        assertThat(SmartScope.parse("user/*.*").orElseThrow().letters())
                .containsExactlyInAnyOrder('c', 'r', 'u', 'd', 's');
    }

    @Test
    void readsTheSearchRestrictionOfAFineGrainedScope() {
        SmartScope s = SmartScope.parse("patient/Observation.rs?category=vital-signs").orElseThrow();
        assertThat(s.query()).isEqualTo("category=vital-signs");
    }

    @Test
    void wildcardTypeGrantsEveryType() {
        SmartScope s = SmartScope.parse("user/*.cruds").orElseThrow();
        assertThat(s.grants('d', "Observation")).isTrue();
        assertThat(s.grants('r', "Patient")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openid", "fhirUser", "launch/patient", "offline_access", "patient/Observation.sr",
            "patient/Observation.rx", "patient/Observation.", "clinic/Observation.rs", "user/*.rs?category=x", ""})
    void grantsNothingForScopesThatAreNotWellFormedResourceScopes(String scope) {
        assertThat(SmartScope.parse(scope)).isEmpty();
    }

    @Test
    void aScopeSetGrantsOnlyInTheContextsGiven() {
        ScopeSet set = ScopeSet.of(List.of("system/*.rs", "user/Observation.r"), Set.of(Context.USER));
        assertThat(set.grant('r', "Observation").granted()).isTrue();
        assertThat(set.grant('r', "Patient").granted()).isFalse();
    }

    @Test
    void aScopeSetCombinesSearchRestrictionsUnlessOneScopeHasNone() {
        ScopeSet restricted = ScopeSet.of(List.of("patient/Observation.rs?category=vital-signs",
                "patient/Observation.rs?category=laboratory"), Set.of(Context.PATIENT));
        assertThat(restricted.grant('s', "Observation").filters())
                .containsExactlyInAnyOrder("category=vital-signs", "category=laboratory");
        assertThat(restricted.grant('s', "Observation").launchPatientOnly()).isTrue();
        ScopeSet open = ScopeSet.of(List.of("patient/Observation.rs?category=vital-signs", "user/Observation.rs"),
                Set.of(Context.PATIENT, Context.USER));
        assertThat(open.grant('s', "Observation").filters()).isEmpty();
        assertThat(open.grant('s', "Observation").launchPatientOnly()).isFalse();
    }

    @Test
    void typesGrantedAreNullForAWildcard() {
        assertThat(ScopeSet.of(List.of("user/*.rs"), Set.of(Context.USER)).typesGranted('r')).isNull();
        assertThat(ScopeSet.of(List.of("user/Patient.rs", "user/Observation.c"), Set.of(Context.USER))
                .typesGranted('r')).containsExactly("Patient");
    }

    @Test
    void aScopeListIsParsedOnceAndEachListNarrowsByItsOwnScopes() {
        ScopeSet lab = ScopeSet.of(List.of("user/Observation.rs?category=laboratory"), Set.of(Context.USER));
        assertThat(ScopeSet.of(List.of("user/Observation.rs?category=laboratory"), Set.of(Context.USER)))
                .isSameAs(lab);
        assertThat(ScopeSet.of(List.of("user/Observation.rs?category=laboratory"), Set.of(Context.PATIENT)))
                .isNotSameAs(lab);
        ScopeSet all = ScopeSet.of(List.of("user/*.rs"), Set.of(Context.USER));

        ScopeSet.Narrowing labSearch = lab.narrowing('s', "Observation");
        assertThat(labSearch.refusal()).isNull();
        assertThat(labSearch.readable()).containsExactly("Observation");
        assertThat(labSearch.filters()).containsEntry("Observation", List.of("category=laboratory"));
        assertThat(lab.narrowing('s', "Observation")).isSameAs(labSearch);
        assertThat(lab.narrowing('s', "Patient").refusal()).hasMessage("This app was not granted permission to"
                + " search Patient resources (it needs user/Patient.s)");
        assertThat(lab.narrowing('s', "Patient").refusal().needed()).containsExactly("user/Patient.s");
        assertThat(lab.narrowing('c', null).refusal()).hasMessageContaining("create resources of any type");

        ScopeSet.Narrowing allSearch = all.narrowing('s', "Observation");
        assertThat(allSearch.readable()).isNull();
        assertThat(allSearch.filters()).isEmpty();
        assertThat(allSearch.confine()).isFalse();
        assertThat(ScopeSet.of(List.of("patient/*.rs"), Set.of(Context.PATIENT)).narrowing('s', null).confine())
                .isTrue();
    }
}
