package org.charnwood.app.fhirapi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Allow header of a 405 names exactly the methods an address serves. */
class InteractionsTests {

    /** The methods a request can arrive with (OPTIONS is answered before the FHIR endpoint). */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    @Test
    void theAllowedMethodsAreThoseThatNameAnInteraction() {
        for (String path : new String[] {"", "_history", "_search", "metadata", "Patient", "Patient/_history",
                "Patient/_search", "Patient/p1", "Patient/p1/_history", "Patient/p1/_history/1"}) {
            FhirRoute route = FhirRoute.parse(path);
            List<String> served = METHODS.stream()
                    .filter(method -> !Interactions.name(method, route).equals(Interactions.UNSUPPORTED)).toList();

            assertThat(Interactions.allowed(route)).as(path).isEqualTo(served);
        }
    }

    @Test
    void aTypeAddressAllowsConditionalPatch() {
        assertThat(Interactions.allowed(FhirRoute.parse("Patient")))
                .containsExactly("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    }
}
