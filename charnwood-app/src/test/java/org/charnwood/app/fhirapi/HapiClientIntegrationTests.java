package org.charnwood.app.fhirapi;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HAPI FHIR's generic client, as a partner system would use it, against the running server. */
class HapiClientIntegrationTests extends CharnwoodIntegrationTest {

    private IGenericClient client;

    @BeforeEach
    void connect() {
        var ctx = FhirContexts.r4();
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = ctx.newRestfulGenericClient(http.fhirBase());
        client.registerInterceptor(new BearerTokenAuthInterceptor(http.bearerToken()));
    }

    @Test
    void createReadUpdateAndDeleteThroughTheGenericClient() {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Patel").addGiven("Asha"));

        MethodOutcome created = client.create().resource(p).execute();
        IdType id = (IdType) created.getId();
        Patient read = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        read.getNameFirstRep().setFamily("Patel-Shah");
        MethodOutcome updated = client.update().resource(read).execute();
        client.delete().resourceById(id.toUnqualifiedVersionless()).execute();

        assertThat(created.getCreated()).isTrue();
        assertThat(read.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Asha");
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId(id.getIdPart()).execute())
                .isInstanceOf(ResourceGoneException.class);
    }

    @Test
    void searchAndHistoryThroughTheGenericClient() {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Kowalski"));
        IdType id = (IdType) client.create().resource(p).execute().getId();

        Bundle found = client.search().forResource(Patient.class).returnBundle(Bundle.class).execute();
        Bundle history = client.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class).execute();

        assertThat(found.getEntry()).hasSize(1);
        assertThat(history.getEntry()).hasSize(1);
    }

    @Test
    void capabilitiesThroughTheGenericClient() {
        CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(cs.getFhirVersion().toCode()).isEqualTo("4.0.1");
    }
}
