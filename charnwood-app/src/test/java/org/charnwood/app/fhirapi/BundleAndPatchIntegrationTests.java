package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Transaction and batch bundles and JSON Patch over HTTP. */
class BundleAndPatchIntegrationTests extends CharnwoodIntegrationTest {

    private static final String TRANSACTION = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:6f1c2b0e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation",
                "status":"final","code":{"text":"pulse"},"subject":{"reference":"urn:uuid:6f1c2b0e-0000-4000-8000-000000000001"}},
               "request":{"method":"POST","url":"Observation"}},
              {"fullUrl":"urn:uuid:6f1c2b0e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient",
                "name":[{"family":"Ali"}]},"request":{"method":"POST","url":"Patient"}}
            ]}""";

    @Test
    void aTransactionCreatesEverythingAndResolvesPlaceholderReferences() {
        Response r = http.post("/fhir", TRANSACTION, "application/fhir+json");

        assertThat(r.status()).isEqualTo(200);
        Bundle response = r.bundle();
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).allMatch(e -> e.getResponse().getStatus().startsWith("201"));
        Observation obs = (Observation) response.getEntry().get(0).getResource();
        Patient patient = (Patient) response.getEntry().get(1).getResource();
        assertThat(obs.getSubject().getReference()).isEqualTo("Patient/" + patient.getIdElement().getIdPart());
        assertThat(rows("fhir_resource")).isEqualTo(2);
    }

    @Test
    void aConditionalReferenceWithItsSystemUrlUnencodedIsResolvedNotStoredAsWritten() {
        String patientId = http.postJson("/fhir/Patient", new Patient().addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem("https://fhir.nhs.uk/Id/nhs-number")
                                .setValue("9434765919"))).resource(Patient.class).getIdElement().getIdPart();
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                    "subject":{"reference":"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"}},
                   "request":{"method":"POST","url":"Observation"}}]}""";

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Observation obs = (Observation) r.bundle().getEntry().get(0).getResource();
        assertThat(obs.getSubject().getReference()).isEqualTo("Patient/" + patientId);
    }

    @Test
    void anEntryWhoseConditionalUrlCarriesItsSystemUrlUnencodedIsAccepted() {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number",
                    "value":"9434765919"}],"name":[{"family":"CondRef"}]},
                   "request":{"method":"PUT","url":"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"}}]}""";
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"request":{"method":"GET","url":"Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919"}}]}""";

        Response created = http.post("/fhir", transaction, "application/fhir+json");
        Response updated = http.post("/fhir", transaction, "application/fhir+json");
        Response read = http.post("/fhir", batch, "application/fhir+json");

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("201");
        assertThat(updated.bundle().getEntryFirstRep().getResponse().getStatus()).startsWith("200");
        assertThat(read.bundle().getEntryFirstRep().getResponse().getStatus()).as(read.body()).startsWith("200");
        assertThat(((Bundle) read.bundle().getEntryFirstRep().getResource()).getTotal()).isEqualTo(1);
        assertThat(http.post("/fhir", TRANSACTION.replace("\"url\":\"Patient\"",
                "\"url\":\"https://elsewhere.example/fhir/Patient\""), "application/fhir+json").status())
                .isEqualTo(400);
    }

    @Test
    void aPlaceholderInAConditionalUrlIsResolvedSoResendingTheTransactionCreatesNothingNew() {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:11111111-1111-1111-1111-111111111112",
                  "resource":{"resourceType":"Practitioner","identifier":[{"system":"https://example.org/rev-i3","value":"tx-b"}]},
                  "request":{"method":"POST","url":"Practitioner","ifNoneExist":"identifier=https://example.org/rev-i3|tx-b"}},
                 {"resource":{"resourceType":"PractitionerRole","practitioner":{"reference":"urn:uuid:11111111-1111-1111-1111-111111111112"},"code":[{"coding":[{"system":"https://example.org/roles","code":"txb"}]}]},
                  "request":{"method":"POST","url":"PractitionerRole","ifNoneExist":"practitioner=urn:uuid:11111111-1111-1111-1111-111111111112&role=https://example.org/roles|txb"}},
                 {"resource":{"resourceType":"PractitionerRole","practitioner":{"reference":"urn:uuid:11111111-1111-1111-1111-111111111112"},"code":[{"coding":[{"system":"https://example.org/roles","code":"put"}]}]},
                  "request":{"method":"PUT","url":"PractitionerRole?practitioner=urn%3Auuid%3A11111111-1111-1111-1111-111111111112&role=https://example.org/roles|put"}}]}""";

        Response first = http.post("/fhir", transaction, "application/fhir+json");
        Response second = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.bundle().getEntry()).allMatch(e -> e.getResponse().getStatus().startsWith("201"));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.bundle().getEntry()).allMatch(e -> e.getResponse().getStatus().startsWith("200"));
        String practitioner = first.bundle().getEntry().get(0).getResource().getIdElement().getIdPart();
        assertThat(http.get("/fhir/PractitionerRole?practitioner=" + practitioner).bundle().getTotal()).isEqualTo(2);
    }

    @Test
    void aPlaceholderInAConditionalUrlThatCannotYetBeResolvedIsRefusedNamingTheEntry() {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"PractitionerRole","code":[{"text":"early"}]},
                  "request":{"method":"POST","url":"PractitionerRole","ifNoneExist":"practitioner=urn:uuid:11111111-1111-1111-1111-111111111113"}},
                 {"fullUrl":"urn:uuid:11111111-1111-1111-1111-111111111113","resource":{"resourceType":"Practitioner"},
                  "request":{"method":"PUT","url":"Practitioner/late-1"}}]}""";

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.outcome().getIssue()).flatExtracting(i -> i.getExpression()).extracting(e -> e.getValue())
                .contains("Bundle.entry[0]", "Bundle.entry[0].request.ifNoneExist");
        assertThat(r.body()).contains("urn:uuid:11111111-1111-1111-1111-111111111113");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void responseEntriesThatReturnAResourceNameItByItsAbsoluteUrl() {
        Bundle transaction = http.post("/fhir", TRANSACTION, "application/fhir+json").bundle();
        String id = transaction.getEntry().get(1).getResource().getIdElement().getIdPart();
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"request":{"method":"GET","url":"Patient/%s"}},
                  {"request":{"method":"GET","url":"Patient?family=ali"}},
                  {"request":{"method":"GET","url":"Patient/missing"}}
                ]}""".formatted(id);

        Bundle read = http.post("/fhir", batch, "application/fhir+json").bundle();

        String base = http.fhirBase() + "/";
        for (Bundle.BundleEntryComponent e : transaction.getEntry()) {
            assertThat(e.getFullUrl()).isEqualTo(base + e.getResource().fhirType() + "/"
                    + e.getResource().getIdElement().getIdPart());
        }
        assertThat(read.getEntry().get(0).getFullUrl()).isEqualTo(base + "Patient/" + id);
        // A searchset has no URL of its own, and a failed entry returns no resource.
        assertThat(read.getEntry().get(1).hasFullUrl()).isFalse();
        assertThat(read.getEntry().get(2).hasFullUrl()).isFalse();
    }

    @Test
    void aTransactionWithOneBadEntryWritesNothing() {
        String bad = TRANSACTION.replace("\"status\":\"final\"", "\"status\":\"not-a-status\"");

        Response r = http.post("/fhir", bad, "application/fhir+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssue()).flatExtracting(i -> i.getExpression()).extracting(e -> e.getValue())
                .contains("Bundle.entry[0].resource.status");
        assertThat(rows("fhir_resource")).isZero();
        assertThat(rows("fhir_outbox")).isZero();
    }

    @Test
    void aBatchEntryWhoseResourceCannotBeReadFailsAloneAndTheOthersAreProcessed() {
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"resource":{"resourceType":"Basic","code":{"text":"ok"}},"request":{"method":"POST","url":"Basic"}},
                 {"resource":{"resourceType":"Patient","gender":"bogus"},"request":{"method":"POST","url":"Patient"}},
                 {"resource":{"resourceType":"Patient","name":[{"family":"x","foo":1}]},"request":{"method":"POST","url":"Patient"}}]}""";
        String xmlBatch = """
                <Bundle xmlns="http://hl7.org/fhir"><type value="batch"/>
                 <entry><resource><Patient><gender>male</gender></Patient></resource>
                  <request><method value="POST"/><url value="Patient"/></request></entry>
                 <entry><resource><Basic><code><text value="ok"/></code></Basic></resource>
                  <request><method value="POST"/><url value="Basic"/></request></entry></Bundle>""";

        Response r = http.post("/fhir", batch, "application/fhir+json");
        Response xml = http.post("/fhir", xmlBatch, "application/fhir+xml");

        assertThat(r.status()).isEqualTo(200);
        Bundle response = r.bundle();
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("422");
        assertThat(expression(response.getEntry().get(1))).isEqualTo("Bundle.entry[1].resource.gender");
        assertThat(response.getEntry().get(2).getResponse().getStatus()).startsWith("422");
        assertThat(expression(response.getEntry().get(2))).isEqualTo("Bundle.entry[2].resource.name[0].foo");
        assertThat(xml.status()).isEqualTo(200);
        Bundle xmlResponse = xml.bundle();
        assertThat(xmlResponse.getEntry().get(0).getResponse().getStatus()).startsWith("422");
        assertThat(expression(xmlResponse.getEntry().get(0))).isEqualTo("Bundle.entry[0].resource.gender");
        assertThat(xmlResponse.getEntry().get(1).getResponse().getStatus()).startsWith("201");
        assertThat(rows("fhir_resource")).isEqualTo(2);
        assertThat(http.get("/fhir/Patient?_summary=count").bundle().getTotal()).isZero();
    }

    private static String expression(Bundle.BundleEntryComponent entry) {
        return ((org.hl7.fhir.r4.model.OperationOutcome) entry.getResponse().getOutcome()).getIssueFirstRep()
                .getExpression().get(0).getValue();
    }

    @Test
    void aBatchAnswersEachEntryOnItsOwn() {
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"resource":{"resourceType":"Patient","name":[{"family":"Ali"}]},"request":{"method":"POST","url":"Patient"}},
                  {"request":{"method":"GET","url":"Patient/missing"}}
                ]}""";

        Bundle response = http.post("/fhir", batch, "application/fhir+json").bundle();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void aTransactionsConditionalUpdateMatchingNothingCannotOverwriteTheResourceItsBodyNames() {
        String id = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Ali\"}]}",
                "application/fhir+json").resource(Patient.class).getIdElement().getIdPart();
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Patient","id":"%s","name":[{"family":"Khan"}]},
                   "request":{"method":"PUT","url":"Patient?family=khan"}}
                ]}""".formatted(id);

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.outcome().getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Bundle.entry[0]");
        assertThat(http.get("/fhir/Patient/" + id).resource(Patient.class).getNameFirstRep().getFamily())
                .isEqualTo("Ali");
        assertThat(rows("fhir_resource_version")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT"})
    void aConditionalUpdateAfterAnEntryCreatingByTheSameCriteriaIsRefusedRatherThanMakingASecondResource(
            String first) {
        String criteria = "identifier=https://example.org/referral|R-1";
        String earlier = "POST".equals(first)
                ? "{\"resource\":" + basicWithIdentifier("first") + ",\"request\":{\"method\":\"POST\",\"url\":\"Basic\","
                        + "\"ifNoneExist\":\"" + criteria + "\"}}"
                : "{\"resource\":" + basicWithIdentifier("first") + ",\"request\":{\"method\":\"PUT\","
                        + "\"url\":\"Basic?" + criteria + "\"}}";
        String update = "{\"resource\":" + basicWithIdentifier("second") + ",\"request\":{\"method\":\"PUT\","
                + "\"url\":\"Basic?" + criteria + "\"}}";

        Response r = http.post("/fhir", transaction(earlier, update), "application/fhir+json");

        // Both entries name one resource, the one the first creates: two changes of it in one transaction.
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("Bundle.entry[0]")
                .contains("Bundle.entry[1]").contains("only once");
        assertThat(rows("fhir_resource")).isZero();
        assertThat(rows("fhir_outbox")).isZero();
    }

    @Test
    void aConditionalUpdateOfWhatAnIfNoneExistFoundUpdatesIt() {
        String id = http.post("/fhir/Basic", basicWithIdentifier("stored"), "application/fhir+json")
                .resource(Basic.class).getIdElement().getIdPart();
        String criteria = "identifier=https://example.org/referral|R-1";

        Response r = http.post("/fhir", transaction(
                "{\"resource\":" + basicWithIdentifier("first") + ",\"request\":{\"method\":\"POST\",\"url\":\"Basic\","
                        + "\"ifNoneExist\":\"" + criteria + "\"}}",
                "{\"resource\":" + basicWithIdentifier("second") + ",\"request\":{\"method\":\"PUT\","
                        + "\"url\":\"Basic?" + criteria + "\"}}"), "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.bundle().getEntry().get(0).getResponse().getStatus()).startsWith("200");
        assertThat(r.bundle().getEntry().get(1).getResponse().getLocation()).isEqualTo("Basic/" + id + "/_history/2");
        assertThat(rows("fhir_resource")).isEqualTo(1);
        assertThat(http.get("/fhir/Basic/" + id).resource(Basic.class).getCode().getText()).isEqualTo("second");
    }

    private static String basicWithIdentifier(String text) {
        return "{\"resourceType\":\"Basic\",\"identifier\":[{\"system\":\"https://example.org/referral\","
                + "\"value\":\"R-1\"}],\"code\":{\"text\":\"" + text + "\"}}";
    }

    @Test
    void aTransactionInsideATransactionIsStoredAsABundleNotProcessed() {
        String inner = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:6f1c2b0e-0000-4000-8000-0000000000a1","resource":{"resourceType":"Basic",
                    "code":{"text":"inner"}},"request":{"method":"POST","url":"Basic"}},
                  {"resource":{"resourceType":"Basic","code":{"text":"no fullUrl"},
                    "subject":{"reference":"urn:uuid:6f1c2b0e-0000-4000-8000-0000000000a1"}},
                   "request":{"method":"POST","url":"Basic"}}]}""";

        Response r = http.post("/fhir", transaction("{\"resource\":" + inner
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Bundle\"}}"), "application/fhir+json");

        // An entry without a fullUrl is allowed (bdl-8 only forbids a version-specific one), and the inner bundle's
        // entries are its content: neither run nor rewritten.
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Bundle stored = (Bundle) r.bundle().getEntry().get(0).getResource();
        assertThat(stored.getEntry().get(1).hasFullUrl()).isFalse();
        assertThat(((Basic) stored.getEntry().get(1).getResource()).getSubject().getReference())
                .isEqualTo("urn:uuid:6f1c2b0e-0000-4000-8000-0000000000a1");
        assertThat(rows("fhir_resource")).isEqualTo(1);
        assertThat(http.post("/fhir/Bundle", """
                {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Basic",
                  "code":{"text":"kept"}}}]}""", "application/fhir+json").status()).isEqualTo(201);
    }

    @Test
    void jsonPatchChangesTheResourceAndMakesANewVersion() {
        String id = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Ali\"}]}",
                "application/fhir+json").resource(Patient.class).getIdElement().getIdPart();

        Response r = http.patch("/fhir/Patient/" + id,
                "[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Ali-Khan\"},"
                        + "{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]",
                "application/json-patch+json", "If-Match", "W/\"1\"");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("W/\"2\"");
        Patient patched = http.get("/fhir/Patient/" + id).resource(Patient.class);
        assertThat(patched.getNameFirstRep().getFamily()).isEqualTo("Ali-Khan");
        assertThat(patched.getGender().toCode()).isEqualTo("female");
    }

    @Test
    void aPatchsMediaTypeIsReadWithoutRegardToCaseButAnotherIsRefusedWith415() {
        String id = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        String patch = "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]";

        Response plainJson = http.patch("/fhir/Patient/" + id, patch, "application/json");
        assertThat(plainJson.status()).isEqualTo(415);
        assertThat(rows("fhir_resource_version")).isEqualTo(1);

        Response r = http.patch("/fhir/Patient/" + id, patch, "Application/JSON-Patch+JSON; charset=UTF-8");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(rows("fhir_resource_version")).isEqualTo(2);
    }

    @Test
    void aPatchThatMakesTheResourceInvalidIsRefusedAndChangesNothing() {
        String id = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();

        Response r = http.patch("/fhir/Patient/" + id, "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"sometimes\"}]",
                "application/json-patch+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(rows("fhir_resource_version")).isEqualTo(1);
    }

    // ---- deleting what others refer to: judged on the transaction's end state -------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aTransactionDeletingAResourceAndEverythingReferringToItSucceedsInEitherOrder(boolean parentFirst) {
        putBasic("parent", null);
        putBasic("child", "Basic/parent");
        String parent = "{\"request\":{\"method\":\"DELETE\",\"url\":\"Basic/parent\"}}";
        String child = "{\"request\":{\"method\":\"DELETE\",\"url\":\"Basic/child\"}}";

        Response r = http.post("/fhir", transaction(parentFirst ? parent : child, parentFirst ? child : parent),
                "application/fhir+json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(http.get("/fhir/Basic/parent").status()).isEqualTo(410);
        assertThat(http.get("/fhir/Basic/child").status()).isEqualTo(410);
    }

    @Test
    void aTransactionMayDeleteAResourceOnceAnotherEntryRemovesTheLastReferenceToIt() {
        putBasic("parent", null);
        putBasic("child", "Basic/parent");

        Response r = http.post("/fhir", transaction(
                "{\"resource\":" + basic("child", null) + ",\"request\":{\"method\":\"PUT\",\"url\":\"Basic/child\"}}",
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"Basic/parent\"}}"), "application/fhir+json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(http.get("/fhir/Basic/parent").status()).isEqualTo(410);
        assertThat(http.get("/fhir/Basic/child").resource(Basic.class).hasSubject()).isFalse();
    }

    @Test
    void aTransactionStillCannotDeleteWhatItLeavesReferredTo() {
        putBasic("parent", null);
        putBasic("child", "Basic/parent");

        Response r = http.post("/fhir", transaction(
                "{\"resource\":" + basic("child", "Basic/parent")
                        + ",\"request\":{\"method\":\"PUT\",\"url\":\"Basic/child\"}}",
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"Basic/parent\"}}"), "application/fhir+json");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.outcome().getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Bundle.entry[1]");
        assertThat(r.body()).contains("Basic/child");
        assertThat(http.get("/fhir/Basic/parent").status()).isEqualTo(200);
        assertThat(rows("fhir_resource_version")).isEqualTo(2);
    }

    @Test
    void aBatchOrSingleDeleteOfAReferencedResourceIsStillRefused() {
        putBasic("parent", null);
        putBasic("child", "Basic/parent");
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"request":{"method":"DELETE","url":"Basic/parent"}},
                  {"request":{"method":"DELETE","url":"Basic/child"}}
                ]}""";

        Bundle response = http.post("/fhir", batch, "application/fhir+json").bundle();

        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("409");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("204");
        putBasic("child", "Basic/parent");
        assertThat(http.delete("/fhir/Basic/parent").status()).isEqualTo(409);
    }

    // ---- relative references against absolute fullUrls (bundle.html, resolving references) --------

    @Test
    void aRelativeReferenceResolvesAgainstTheBaseOfAnAbsoluteFullUrl() {
        Response r = http.post("/fhir", absoluteFullUrls(), "application/fhir+json");

        assertThat(r.status()).isEqualTo(200);
        Bundle response = r.bundle();
        String created = response.getEntry().get(0).getResponse().getLocation().split("/")[1];
        Basic referring = (Basic) response.getEntry().get(1).getResource();
        assertThat(referring.getSubject().getReference()).isEqualTo("Basic/" + created);
        assertThat(created).isNotEqualTo("abc");
    }

    @Test
    void aLocalResourceWithTheSameIdDoesNotCaptureAReferenceTheBundleDefines() {
        putBasic("abc", null);

        Response r = http.post("/fhir", absoluteFullUrls(), "application/fhir+json");

        assertThat(r.status()).isEqualTo(200);
        Bundle response = r.bundle();
        String created = response.getEntry().get(0).getResponse().getLocation().split("/")[1];
        assertThat(created).isNotEqualTo("abc");
        assertThat(((Basic) response.getEntry().get(1).getResource()).getSubject().getReference())
                .isEqualTo("Basic/" + created);
    }

    @Test
    void aVersionSpecificReferenceToAnEntryNamesThatEntrysResourceAtTheVersionAskedFor() {
        putBasic("abc", null);
        putBasic("abc", null);
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"http://example.org/fhir/Basic/abc","resource":%s,"request":{"method":"POST","url":"Basic"}},
                  {"fullUrl":"http://example.org/fhir/Basic/def","resource":%s,"request":{"method":"POST","url":"Basic"}},
                  {"fullUrl":"http://example.org/fhir/Basic/ghi","resource":%s,"request":{"method":"POST","url":"Basic"}}
                ]}""".formatted(basic(null, null), basic(null, "Basic/abc/_history/1"),
                basic(null, "http://example.org/fhir/Basic/abc/_history/1"));

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        // Not the stored Basic/abc's first version: the entry whose fullUrl the reference names, less its version.
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Bundle response = r.bundle();
        String created = response.getEntry().get(0).getResponse().getLocation().split("/")[1];
        assertThat(created).isNotEqualTo("abc");
        assertThat(((Basic) response.getEntry().get(1).getResource()).getSubject().getReference())
                .isEqualTo("Basic/" + created + "/_history/1");
        assertThat(((Basic) response.getEntry().get(2).getResource()).getSubject().getReference())
                .isEqualTo("Basic/" + created + "/_history/1");

        // A version the entry does not write is refused, and nothing is written.
        long before = rows("fhir_resource_version");
        Response wrongVersion = http.post("/fhir", transaction.replace("abc/_history/1", "abc/_history/2"),
                "application/fhir+json");
        assertThat(wrongVersion.status()).as(wrongVersion.body()).isEqualTo(422);
        assertThat(wrongVersion.outcome().getIssueFirstRep().getDiagnostics()).contains("Bundle.entry[1]");
        assertThat(rows("fhir_resource_version")).isEqualTo(before);
    }

    @Test
    void aFullUrlNamingAVersionIsRefusedAndNothingIsWritten() {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Basic"}},
                  {"fullUrl":"http://example.org/fhir/Basic/abc/_history/1","resource":%s,
                   "request":{"method":"POST","url":"Basic"}}
                ]}""".formatted(basic(null, null), basic(null, null));

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.outcome().getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("Bundle.entry[1].fullUrl");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void aSearchEntryNamingAnotherEntryByItsFullUrlFindsWhatThatEntryWrote() {
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:6f1c2b0e-0000-4000-8000-0000000000b1","resource":%s,
                   "request":{"method":"POST","url":"Basic"}},
                  {"resource":%s,"request":{"method":"POST","url":"Basic"}},
                  {"request":{"method":"GET","url":"Basic?subject=urn:uuid:6f1c2b0e-0000-4000-8000-0000000000b1"}},
                  {"request":{"method":"GET","url":"Basic?identifier=urn:uuid:6f1c2b0e-0000-4000-8000-0000000000ff"}}
                ]}""".formatted(basic(null, null), basic(null, "urn:uuid:6f1c2b0e-0000-4000-8000-0000000000b1"));

        Response r = http.post("/fhir", transaction, "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Bundle response = r.bundle();
        String referrer = response.getEntry().get(1).getResponse().getLocation().split("/")[1];
        Bundle found = (Bundle) response.getEntry().get(2).getResource();
        assertThat(found.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(referrer);
        // A urn: value that no entry has is searched as written, not refused: it may be an identifier.
        assertThat(response.getEntry().get(3).getResponse().getStatus()).startsWith("200");
        assertThat(((Bundle) response.getEntry().get(3).getResource()).getEntry()).isEmpty();
    }

    /** Two POSTs with absolute fullUrls, the second referring to the first relatively. */
    private static String absoluteFullUrls() {
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"http://example.org/fhir/Basic/abc","resource":%s,"request":{"method":"POST","url":"Basic"}},
                  {"fullUrl":"http://example.org/fhir/Basic/def","resource":%s,"request":{"method":"POST","url":"Basic"}}
                ]}""".formatted(basic(null, null), basic(null, "Basic/abc"));
    }

    private void putBasic(String id, String subject) {
        assertThat(http.put("/fhir/Basic/" + id, basic(id, subject), "application/fhir+json").status())
                .isBetween(200, 201);
    }

    private static String basic(String id, String subject) {
        return "{\"resourceType\":\"Basic\"" + (id == null ? "" : ",\"id\":\"" + id + "\"")
                + ",\"code\":{\"text\":\"note\"}"
                + (subject == null ? "" : ",\"subject\":{\"reference\":\"" + subject + "\"}") + "}";
    }

    private static String transaction(String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}";
    }
}
