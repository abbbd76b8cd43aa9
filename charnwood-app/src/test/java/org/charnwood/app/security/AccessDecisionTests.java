package org.charnwood.app.security;

import org.charnwood.fhir.search.AccessScope;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which emergency grants a decision says an access relied on. */
class AccessDecisionTests {

    private static final Requester NURSE = Requester.anonymous("127.0.0.1");

    @Test
    void onlyTheGrantsOfThePatientsReadCountWhenEachGrantsPatientIsKnown() {
        AccessDecision d = new AccessDecision(NURSE, AccessScope.UNRESTRICTED, List.of("g1", "g2"),
                Map.of("p1", "g1", "p2", "g2"));
        assertThat(d.emergencyGrantsFor(Set.of("p1", "p3"))).containsExactly("g1");
        assertThat(d.emergencyGrantsFor(Set.of("p3"))).isEmpty();
    }

    @Test
    void withoutPatientsEveryGrantCountsOnTheSafeSide() {
        AccessDecision d = new AccessDecision(NURSE, AccessScope.UNRESTRICTED, List.of("g1"));
        assertThat(d.emergencyGrantsFor(Set.of("p3"))).containsExactly("g1");
    }

    @Test
    void decisionsOfOneRequestAreMergedKeepingWhatEachGrantIsFor() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        AccessDecision.record(request, new AccessDecision(NURSE, AccessScope.UNRESTRICTED, List.of("g1"),
                Map.of("p1", "g1")));
        AccessDecision.record(request, new AccessDecision(NURSE, AccessScope.UNRESTRICTED, List.of()));
        assertThat(AccessDecision.of(request).emergencyGrantsFor(Set.of("p1"))).containsExactly("g1");

        AccessDecision.record(request, new AccessDecision(NURSE, AccessScope.UNRESTRICTED, List.of("g2")));
        assertThat(AccessDecision.of(request).emergencyGrantIds()).containsExactly("g1", "g2");
        assertThat(AccessDecision.of(request).emergencyGrantsFor(Set.of("p9"))).containsExactly("g1", "g2");
    }
}
