package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Operations other capabilities add to the FHIR endpoint can be discovered: named in metadata, their definitions read. */
class OperationDefinitionsIntegrationTests extends CharnwoodIntegrationTest {

    private static final String REFER = "https://charnwood.nhs.uk/fhir/OperationDefinition/ServiceRequest-refer";

    @Autowired
    OperationDefinitions definitions;

    @Test
    void capabilityStatementNamesReferOnServiceRequestWithItsDefinition() {
        CapabilityStatement cs = http.get("/fhir/metadata").resource(CapabilityStatement.class);

        var serviceRequest = cs.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("ServiceRequest")).findFirst().orElseThrow();
        assertThat(serviceRequest.getOperation()).anySatisfy(o -> {
            assertThat(o.getName()).isEqualTo("refer");
            assertThat(o.getDefinition()).isEqualTo(REFER);
        });
        assertThat(cs.getRestFirstRep().getOperation()).extracting(o -> o.getName()).doesNotContain("refer");
    }

    @Test
    void publishedDefinitionIsReadByIdAndFoundByUrlAndRestartsAddNoVersions() {
        definitions.publish();

        OperationDefinition read = http.get("/fhir/OperationDefinition/ServiceRequest-refer")
                .resource(OperationDefinition.class);
        assertThat(read.getCode()).isEqualTo("refer");
        assertThat(read.getType()).isTrue();
        assertThat(read.getInstance()).isFalse();
        assertThat(read.getResource()).extracting(t -> t.getValue()).containsExactly("ServiceRequest");
        assertThat(read.getParameter()).extracting(p -> p.getName()).containsExactly("referral", "return");
        assertThat(http.get("/fhir/OperationDefinition?url=" + REFER).bundle().getEntry()).hasSize(1);

        assertThat(definitions.publish()).isZero();
        assertThat(http.get("/fhir/OperationDefinition/ServiceRequest-refer").resource(OperationDefinition.class)
                .getMeta().getVersionId()).isEqualTo("1");
    }
}
