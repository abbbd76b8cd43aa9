package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is sent is what is stored and read back, and what cannot be stored as sent (a body in another charset, a
 * reference that names no resource, XML with a DTD) is refused naming what to fix, with nothing written.
 */
class WireFidelityIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void aBodyDeclaredInAnotherCharsetIsRefusedRatherThanReadAsUtf8() {
        // As ISO-8859-1 these bytes are "Ã©tÃ©"; read as UTF-8 they would be stored as "été".
        Response r = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"été\"}]}",
                "application/fhir+json; charset=ISO-8859-1");

        assertThat(r.status()).as(r.body()).isEqualTo(415);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("ISO-8859-1").contains("UTF-8");
        assertThat(rows("fhir_resource")).isZero();

        Response utf8 = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"été\"}]}",
                "application/fhir+json; charset=UTF-8");
        assertThat(utf8.status()).as(utf8.body()).isEqualTo(201);
        assertThat(utf8.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("été");
    }
}
