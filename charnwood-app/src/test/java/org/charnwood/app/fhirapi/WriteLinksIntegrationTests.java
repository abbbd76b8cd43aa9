package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a write keeps of the links and stamps it is sent, over HTTP: placeholders replaced wherever a transaction
 * has them, references that only a bundle can resolve refused outside one, version-specific references kept and
 * checked, If-Match honoured by a conditional update that matches nothing, the server's own meta.lastUpdated, and
 * strings that are not Unicode refused.
 */
class WriteLinksIntegrationTests extends CharnwoodIntegrationTest {

    private static final String JSON = "application/fhir+json";
    private static final String BINARY = "urn:uuid:51110000-0000-4000-8000-000000000001";
    private static final Pattern LAST_UPDATED = Pattern.compile("\"lastUpdated\":\"([^\"]+)\"");

    @Test
    void aTransactionReplacesPlaceholdersInUriElementsAndNarrativeLinks() {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"%1$s","resource":{"resourceType":"Binary","contentType":"text/plain","data":"aGVsbG8="},
                   "request":{"method":"POST","url":"Binary"}},
                  {"fullUrl":"urn:uuid:51110000-0000-4000-8000-000000000002","resource":{
                    "resourceType":"DocumentReference","status":"current",
                    "text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><a href=\\"%1$s\\">Scanned letter</a></div>"},
                    "content":[{"attachment":{"contentType":"text/plain","url":"%1$s"}}]},
                   "request":{"method":"POST","url":"DocumentReference"}},
                  {"resource":{"resourceType":"Provenance",
                    "target":[{"reference":"urn:uuid:51110000-0000-4000-8000-000000000002"}],
                    "recorded":"2026-01-05T10:00:00Z","policy":["%1$s"],
                    "agent":[{"who":{"display":"Records office"}}]},
                   "request":{"method":"POST","url":"Provenance"}}]}""".formatted(BINARY);

        Response r = http.post("/fhir", transaction, JSON);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Bundle response = r.bundle();
        String binary = "Binary/" + idOf(response.getEntry().get(0));
        String documentId = idOf(response.getEntry().get(1));
        DocumentReference document = http.get("/fhir/DocumentReference/" + documentId)
                .resource(DocumentReference.class);
        assertThat(document.getContentFirstRep().getAttachment().getUrl()).isEqualTo(binary);
        assertThat(document.getText().getDivAsString()).contains("href=\"" + binary + "\"").doesNotContain("urn:");
        Provenance provenance = http.get("/fhir/Provenance/" + idOf(response.getEntry().get(2)))
                .resource(Provenance.class);
        assertThat(provenance.getPolicy().get(0).getValue()).isEqualTo(binary);
        assertThat(provenance.getTargetFirstRep().getReference()).isEqualTo("DocumentReference/" + documentId);
    }

    @Test
    void aConditionalReferenceOutsideABundleIsRefusedNotStoredAsSent() {
        http.postJson("/fhir/Patient", new Patient().addIdentifier(new Identifier().setSystem("urn:test:rw")
                .setValue("B1")));

        Response post = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"Patient?identifier=urn:test:rw|B1"}}""", JSON);
        Response put = http.put("/fhir/Observation/cond1", """
                {"resourceType":"Observation","id":"cond1","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"Patient?identifier=urn:test:rw|B1"}}""", JSON);

        assertRefused(post, 400, "Patient?identifier=urn:test:rw|B1");
        assertThat(post.outcome().getIssueFirstRep().getDiagnostics()).contains("bundle");
        assertRefused(put, 400, "Patient?identifier=urn:test:rw|B1");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void aPlaceholderReferenceOutsideABundleIsRefused() {
        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"urn:uuid:11110000-0000-4000-8000-000000000001"}}""", JSON);

        assertRefused(r, 400, "urn:uuid:11110000-0000-4000-8000-000000000001");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void aVersionSpecificReferenceIsKeptAsSentAndStillCountsAsAReferenceToTheResource() {
        String patientId = http.postJson("/fhir/Patient", new Patient().addName(new org.hl7.fhir.r4.model.HumanName()
                .setFamily("Versioned"))).resource(Patient.class).getIdElement().getIdPart();
        String versioned = "Patient/" + patientId + "/_history/1";

        Response created = http.post("/fhir/Provenance", provenance(versioned), JSON);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.resource(Provenance.class).getTargetFirstRep().getReference()).isEqualTo(versioned);
        String provenanceId = created.resource(Provenance.class).getIdElement().getIdPart();
        assertThat(http.get("/fhir/Provenance/" + provenanceId).resource(Provenance.class)
                .getTargetFirstRep().getReference()).isEqualTo(versioned);
        assertThat(jdbc.queryForObject("select count(*) from fhir_resource_version where content like ?",
                Long.class, "%\"" + versioned + "\"%")).isEqualTo(1);
        Bundle found = http.get("/fhir/Provenance?target=Patient/" + patientId).bundle();
        assertThat(found.getEntry()).hasSize(1);
        assertRefused(http.delete("/fhir/Patient/" + patientId), 409, "Provenance/" + provenanceId);
    }

    @Test
    void aVersionSpecificReferenceToAVersionNeverWrittenIsRefused() {
        String patientId = http.postJson("/fhir/Patient", new Patient().addName(new org.hl7.fhir.r4.model.HumanName()
                .setFamily("Versioned"))).resource(Patient.class).getIdElement().getIdPart();
        String missing = "Patient/" + patientId + "/_history/7";

        Response r = http.post("/fhir/Provenance", provenance(missing), JSON);

        assertRefused(r, 422, missing);
        assertThat(r.body()).contains("never written");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void aTransactionReferringToAVersionNeverWrittenIsRefusedNamingTheEntry() {
        String patientId = http.postJson("/fhir/Patient", new Patient().addName(new org.hl7.fhir.r4.model.HumanName()
                .setFamily("Versioned"))).resource(Patient.class).getIdElement().getIdPart();
        String missing = "Patient/" + patientId + "/_history/9";
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Provenance"}}]}""".formatted(provenance(missing));

        Response r = http.post("/fhir", transaction, JSON);

        assertRefused(r, 422, missing);
        assertThat(r.body()).contains("never written").contains("Bundle.entry[0]");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void aConditionalUpdateWithIfMatchThatMatchesNothingIsRefusedNotCreated() {
        Response r = http.put("/fhir/Patient?identifier=urn:test:rw%7CIFM1", """
                {"resourceType":"Patient","identifier":[{"system":"urn:test:rw","value":"IFM1"}]}""", JSON,
                "If-Match", "W/\"3\"");

        assertRefused(r, 412, "matched no resource");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void metaLastUpdatedIsTheServersOwnStampWhateverTheClientSent() {
        Response plain = http.put("/fhir/Basic/lu0", """
                {"resourceType":"Basic","id":"lu0","code":{"text":"x"}}""", JSON);
        Response sent = http.put("/fhir/Basic/lu1", """
                {"resourceType":"Basic","id":"lu1","meta":{"lastUpdated":"2000-01-01T00:00:00+05:00"},
                 "code":{"text":"x"}}""", JSON);
        Response patched = http.patch("/fhir/Basic/lu1",
                "[{\"op\":\"replace\",\"path\":\"/meta/lastUpdated\",\"value\":\"2001-02-03T04:05:06+09:00\"}]",
                "application/json-patch+json");

        for (Response r : new Response[] {plain, sent, patched}) {
            assertThat(r.status()).as(r.body()).isBetween(200, 201);
            assertThat(lastUpdated(r.body())).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
        String stored = jdbc.queryForObject("""
                select to_char(v.last_updated at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                from fhir_resource_version v join fhir_resource r on r.res_pk = v.res_pk
                where r.res_id = 'lu1' and v.version = 2""", String.class);
        assertThat(lastUpdated(patched.body())).isEqualTo(stored);
        assertThat(lastUpdated(http.get("/fhir/Basic/lu1").body())).isEqualTo(stored);
    }

    @Test
    void aLoneSurrogateInAStringIsRefusedNamingWhereNotStoredAsAQuestionMark() {
        Response r = http.post("/fhir/Basic", """
                {"resourceType":"Basic","code":{"text":"a\\ud800b"}}""", JSON);
        Response paired = http.post("/fhir/Basic", """
                {"resourceType":"Basic","code":{"text":"a\\ud83d\\ude00b"}}""", JSON);

        assertRefused(r, 400, "Basic.code.text");
        assertThat(r.outcome().getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Basic.code.text");
        assertThat(paired.status()).as(paired.body()).isEqualTo(201);
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    private static String provenance(String target) {
        return """
                {"resourceType":"Provenance","target":[{"reference":"%s"}],"recorded":"2026-01-05T10:00:00Z",
                 "agent":[{"who":{"display":"Records office"}}]}""".formatted(target);
    }

    private static String idOf(Bundle.BundleEntryComponent entry) {
        return new org.hl7.fhir.r4.model.IdType(entry.getResponse().getLocation()).getIdPart();
    }

    private static String lastUpdated(String body) {
        Matcher m = LAST_UPDATED.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private static void assertRefused(Response r, int status, String text) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains(text);
    }
}
