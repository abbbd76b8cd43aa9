package org.charnwood.fhir.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerBaseTests {

    private final ServerBase base = ServerBase.of("https://fhir.charnwood.example/r4/");

    @Test
    void relativeReferencesAreLocal() {
        assertThat(base.resolve("Patient/123")).isEqualTo(ReferenceTarget.local("Patient", "123"));
        assertThat(base.resolve("Patient/123/_history/4")).isEqualTo(ReferenceTarget.local("Patient", "123"));
    }

    @Test
    void absoluteReferencesUnderOurBaseAreLocal() {
        assertThat(base.resolve("https://fhir.charnwood.example/r4/Observation/a-1"))
                .isEqualTo(ReferenceTarget.local("Observation", "a-1"));
        assertThat(base.resolve("HTTPS://FHIR.CHARNWOOD.EXAMPLE/r4/Observation/a-1/_history/2"))
                .isEqualTo(ReferenceTarget.local("Observation", "a-1"));
    }

    @Test
    void otherAbsoluteReferencesStayUrlsKeepingTheirType() {
        assertThat(base.resolve("https://other.example/fhir/Patient/9"))
                .isEqualTo(new ReferenceTarget("Patient", null, "https://other.example/fhir/Patient/9"));
        assertThat(base.resolve("https://other.example/fhir/Patient/9").isLocal()).isFalse();
        assertThat(base.resolve("urn:uuid:0b5e3ad3-7b7c-4c2e-8f5a-2f0d4e7c1a11"))
                .isEqualTo(ReferenceTarget.external("urn:uuid:0b5e3ad3-7b7c-4c2e-8f5a-2f0d4e7c1a11"));
    }

    @Test
    void containedAndMalformedReferencesResolveToNothing() {
        assertThat(base.resolve("#med1")).isNull();
        assertThat(base.resolve("Spaceship/1")).isNull();
        assertThat(base.resolve("Patient/not valid")).isNull();
    }

    @Test
    void localReferencesAreThoseRelativeOrUnderOurBaseAsTypeAndId() {
        assertThat(base.localReference("Patient/123")).isEqualTo("Patient/123");
        assertThat(base.localReference("Patient/123/_history/4")).isEqualTo("Patient/123");
        assertThat(base.localReference("https://fhir.charnwood.example/r4/Patient/123")).isEqualTo("Patient/123");
        assertThat(base.localReference("https://fhir.charnwood.example/r4/Patient/123/_history/4"))
                .isEqualTo("Patient/123");
        assertThat(base.localReference("https://other.example/fhir/Patient/123")).isNull();
        assertThat(base.localReference("urn:uuid:0b5e3ad3-7b7c-4c2e-8f5a-2f0d4e7c1a11")).isNull();
        assertThat(base.localReference("Patient?identifier=x")).isNull();
        assertThat(base.localReference("#med1")).isNull();
        assertThat(ServerBase.none().localReference("https://fhir.charnwood.example/r4/Patient/123")).isNull();
    }

    @Test
    void anAddressOnOurServerNamesAResourceOrOneOfItsVersionsOrIsAProblem() {
        String ours = "https://fhir.charnwood.example/r4";
        assertThat(base.ownAddressProblem(ours + "/Patient/123")).isNull();
        assertThat(base.ownAddressProblem(ours + "/Patient/123/_history/4")).isNull();
        assertThat(base.ownAddressProblem("HTTPS://FHIR.CHARNWOOD.EXAMPLE/r4/Patient/123")).isNull();
        for (String nothing : new String[] {"/Patient/123?_format=json", "/Patient?identifier=x", "/Patient/123#a",
                "/Patient/123/", "/Patient/123/_history/4/x", "/Patient/123/_history/", "/Spaceship/1", "/Patient",
                "/metadata", "", "/"}) {
            assertThat(base.ownAddressProblem(ours + nothing)).as(nothing).contains("names no resource");
        }
        // Not this server's: another host, or a base that only begins the same way.
        assertThat(base.ownAddressProblem("https://other.example/fhir/Patient/123?x=1")).isNull();
        assertThat(base.ownAddressProblem("https://fhir.charnwood.example/r4b/Patient/123?x=1")).isNull();
        assertThat(base.ownAddressProblem("Patient/123")).isNull();
        assertThat(base.ownAddressProblem("urn:uuid:0b5e3ad3-7b7c-4c2e-8f5a-2f0d4e7c1a11")).isNull();
        assertThat(ServerBase.none().ownAddressProblem(ours + "/Patient/123?x=1")).isNull();
    }

    @Test
    void anyBaseYieldsTypeAndIdForResolveChecks() {
        assertThat(ReferenceTarget.parseAny("https://x.example/Patient/9").type()).isEqualTo("Patient");
        assertThat(ReferenceTarget.parseAny("Group/7").id()).isEqualTo("7");
        assertThat(ReferenceTarget.parseAny("nothing")).isNull();
    }
}
