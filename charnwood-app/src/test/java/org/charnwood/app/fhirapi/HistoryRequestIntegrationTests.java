package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request element of a history entry records the request that made the version (R4 http.html#history): a
 * create-on-update was a PUT to the resource, not a POST to its type, and a patch was a PATCH.
 */
class HistoryRequestIntegrationTests extends CharnwoodIntegrationTest {

    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String RENAME = "[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Price\"}]";

    @Test
    void eachRestVersionShowsTheMethodAndUrlOfTheRequestThatMadeIt() {
        assertThat(http.putJson("/fhir/Patient/nowak-1", patient("nowak-1", "Nowak")).status()).isEqualTo(201);
        assertThat(http.putJson("/fhir/Patient/nowak-1", patient("nowak-1", "Nowak-Price")).status()).isEqualTo(200);
        assertThat(http.patch("/fhir/Patient/nowak-1", RENAME, JSON_PATCH).status()).isEqualTo(200);
        assertThat(http.delete("/fhir/Patient/nowak-1").status()).isEqualTo(204);
        assertThat(http.putJson("/fhir/Patient/nowak-1", patient("nowak-1", "Nowak")).status()).isEqualTo(201);

        assertThat(requests("/fhir/Patient/nowak-1/_history")).containsExactly(
                "PUT Patient/nowak-1", "DELETE Patient/nowak-1", "PATCH Patient/nowak-1", "PUT Patient/nowak-1",
                "PUT Patient/nowak-1");
    }

    @Test
    void aCreateByPostIsAPostToTheType() {
        String id = http.postJson("/fhir/Patient", patient(null, "Okafor")).resource(Patient.class)
                .getIdElement().getIdPart();

        assertThat(requests("/fhir/Patient/" + id + "/_history")).containsExactly("POST Patient");
    }

    @Test
    void aConditionalUpdateThatCreatesIsAPut() {
        Patient p = patient(null, "Okafor");
        p.addIdentifier().setSystem("urn:test").setValue("once");

        assertThat(http.putJson("/fhir/Patient?identifier=urn:test%7Conce", p).status()).isEqualTo(201);

        assertThat(requests("/fhir/Patient/_history")).singleElement().asString().startsWith("PUT Patient/");
    }

    @Test
    void transactionEntriesAreRecordedWithTheirOwnMethods() {
        http.putJson("/fhir/Patient/to-patch", patient("to-patch", "Okafor"));
        http.putJson("/fhir/Patient/to-delete", patient("to-delete", "Okafor"));
        String patch = Base64.getEncoder().encodeToString(RENAME.getBytes(StandardCharsets.UTF_8));
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:6d1c7f3e-0c1b-4a57-9a55-2b8f6a3e1d01",
                   "resource":{"resourceType":"Patient","name":[{"family":"Ali"}]},
                   "request":{"method":"POST","url":"Patient"}},
                  {"resource":{"resourceType":"Patient","id":"put-new","name":[{"family":"Nowak"}]},
                   "request":{"method":"PUT","url":"Patient/put-new"}},
                  {"resource":{"resourceType":"Binary","contentType":"application/json-patch+json","data":"%s"},
                   "request":{"method":"PATCH","url":"Patient/to-patch"}},
                  {"request":{"method":"DELETE","url":"Patient/to-delete"}}
                ]}""".formatted(patch);

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(requests("/fhir/Patient/put-new/_history")).containsExactly("PUT Patient/put-new");
        assertThat(requests("/fhir/Patient/to-patch/_history"))
                .containsExactly("PATCH Patient/to-patch", "PUT Patient/to-patch");
        assertThat(requests("/fhir/Patient/to-delete/_history"))
                .containsExactly("DELETE Patient/to-delete", "PUT Patient/to-delete");
        String created = r.bundle().getEntry().get(0).getResponse().getLocation().split("/")[1];
        assertThat(requests("/fhir/Patient/" + created + "/_history")).containsExactly("POST Patient");
    }

    @Test
    void versionsStoredWithoutTheirRequestMethodFallBackToWhatTheirChangeImplies() {
        String posted = http.postJson("/fhir/Patient", patient(null, "Okafor")).resource(Patient.class)
                .getIdElement().getIdPart();
        http.putJson("/fhir/Patient/nowak-1", patient("nowak-1", "Nowak"));
        http.patch("/fhir/Patient/nowak-1", RENAME, JSON_PATCH);
        http.delete("/fhir/Patient/nowak-1");
        http.putJson("/fhir/Patient/nowak-1", patient("nowak-1", "Nowak"));
        // As versions stored before the request method was kept.
        jdbc.update("update fhir_resource_version set request_method = null");

        assertThat(requests("/fhir/Patient/" + posted + "/_history")).containsExactly("POST Patient");
        // Only an update creates at an id the client chose, or brings a deleted resource back; a patch is an update.
        assertThat(requests("/fhir/Patient/nowak-1/_history")).containsExactly(
                "PUT Patient/nowak-1", "DELETE Patient/nowak-1", "PUT Patient/nowak-1", "PUT Patient/nowak-1");
    }

    @Test
    void countZeroAsksForNoEntriesAndOffersNoNextPage() {
        http.putJson("/fhir/Patient/nowak-2", patient("nowak-2", "Nowak"));
        http.putJson("/fhir/Patient/nowak-2", patient("nowak-2", "Nowak-Price"));

        Bundle history = http.get("/fhir/Patient/nowak-2/_history?_count=0").bundle();

        assertThat(history.getEntry()).isEmpty();
        assertThat(history.getLink("next")).isNull();
        assertThat(history.getLink("self").getUrl()).contains("_count=0");
    }

    private List<String> requests(String historyPath) {
        Bundle history = http.get(historyPath).bundle();
        return history.getEntry().stream().map(Bundle.BundleEntryComponent::getRequest)
                .map(HistoryRequestIntegrationTests::describe).toList();
    }

    private static String describe(BundleEntryRequestComponent request) {
        return request.getMethod().toCode() + " " + request.getUrl();
    }

    private static Patient patient(String id, String family) {
        Patient p = new Patient();
        if (id != null) {
            p.setId(id);
        }
        p.addName().setFamily(family);
        return p;
    }
}
