package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.HeldWrite;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The FHIR RESTful interactions, over HTTP, as the R4 specification (http.html) describes them. */
class RestInteractionsIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;

    @Test
    void createReturns201WithLocationEtagAndTheStoredResource() {
        Response r = http.postJson("/fhir/Patient", patient("Okafor"));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).matches("http://localhost:\\d+/fhir/Patient/[0-9a-f-]+/_history/1");
        assertThat(r.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(r.header("Last-Modified")).isNotNull();
        Patient created = r.resource(Patient.class);
        assertThat(created.getMeta().getVersionId()).isEqualTo("1");
        assertThat(created.getMeta().getLastUpdated()).isNotNull();
        assertThat(created.getNameFirstRep().getFamily()).isEqualTo("Okafor");
    }

    @Test
    void readReturnsTheCurrentVersionAndVreadReturnsAnOlderOne() {
        String id = create(patient("Okafor"));
        Patient changed = patient("Okafor-Price");
        changed.setId(id);
        assertThat(http.putJson("/fhir/Patient/" + id, changed).status()).isEqualTo(200);

        Response current = http.get("/fhir/Patient/" + id);
        Response first = http.get("/fhir/Patient/" + id + "/_history/1");

        assertThat(current.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(current.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("Okafor-Price");
        assertThat(first.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("Okafor");
        assertThat(http.get("/fhir/Patient/" + id + "/_history/9").status()).isEqualTo(404);
    }

    @Test
    void updateOfAnUnknownIdCreatesIt() {
        Patient p = patient("Nowak");
        p.setId("nowak-1");

        Response r = http.putJson("/fhir/Patient/nowak-1", p);

        assertThat(r.status()).isEqualTo(201);
        assertThat(http.get("/fhir/Patient/nowak-1").status()).isEqualTo(200);
    }

    @Test
    void conditionalUpdateMatchingNothingRefusesABodyIdThatNamesAnotherResource() {
        String id = create(patient("Okafor"));
        Patient other = patient("Nowak");
        other.setId(id);

        Response r = http.putJson("/fhir/Patient?family=nowak", other);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.CONFLICT);
        assertThat(http.get("/fhir/Patient/" + id).resource(Patient.class).getNameFirstRep().getFamily())
                .isEqualTo("Okafor");
        assertThat(rows("fhir_resource_version")).isEqualTo(1);
    }

    @Test
    void conditionalUpdateMatchingNothingCreatesAtANewOrDeletedBodyId() {
        Patient fresh = patient("Nowak");
        fresh.setId("nowak-2");
        String gone = create(patient("Okafor"));
        assertThat(http.delete("/fhir/Patient/" + gone).status()).isEqualTo(204);
        Patient back = patient("Price");
        back.setId(gone);

        assertThat(http.putJson("/fhir/Patient?family=nowak", fresh).status()).isEqualTo(201);
        assertThat(http.putJson("/fhir/Patient?family=price", back).status()).isEqualTo(201);
        assertThat(http.get("/fhir/Patient/" + gone).resource(Patient.class).getNameFirstRep().getFamily())
                .isEqualTo("Price");
    }

    @Test
    void updateWithAStaleIfMatchIsRefusedWith412() {
        String id = create(patient("Okafor"));
        Patient changed = patient("Price");
        changed.setId(id);
        http.putJson("/fhir/Patient/" + id, changed, "If-Match", "W/\"1\"");

        Response stale = http.putJson("/fhir/Patient/" + id, changed, "If-Match", "W/\"1\"");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.outcome().getIssueFirstRep().getDiagnostics()).contains("version 2");
        assertThat(rows("fhir_resource_version")).isEqualTo(2);
    }

    @Test
    void deleteKeepsHistoryAndReadAfterDeleteIs410() {
        String id = create(patient("Okafor"));

        assertThat(http.delete("/fhir/Patient/" + id).status()).isEqualTo(204);

        assertThat(http.get("/fhir/Patient/" + id).status()).isEqualTo(410);
        Bundle history = http.get("/fhir/Patient/" + id + "/_history").bundle();
        assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(history.getEntry()).hasSize(2);
        assertThat(history.getEntry().get(0).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
        assertThat(history.getEntry().get(1).getResource()).isInstanceOf(Patient.class);
    }

    @Test
    void deleteWithAStaleIfMatchIsRefusedWith412AndAMatchingOneDeletes() {
        String id = create(patient("Okafor"));
        Patient changed = patient("Price");
        changed.setId(id);
        http.putJson("/fhir/Patient/" + id, changed);

        Response stale = http.delete("/fhir/Patient/" + id, "If-Match", "W/\"1\"");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.outcome().getIssueFirstRep().getDiagnostics()).contains("version 2");
        assertThat(http.get("/fhir/Patient/" + id).status()).isEqualTo(200);
        assertThat(http.delete("/fhir/Patient/" + id, "If-Match", "W/\"2\"").status()).isEqualTo(204);
        assertThat(http.get("/fhir/Patient/" + id).status()).isEqualTo(410);
    }

    @Test
    void conditionalDeleteHonoursIfMatchAndRefusesItForSeveralMatches() {
        String id = create(patient("Okafor"));
        create(patient("Price"));
        create(patient("Price"));

        Response stale = http.delete("/fhir/Patient?family=okafor", "If-Match", "W/\"2\"");
        Response several = http.delete("/fhir/Patient?family=price", "If-Match", "W/\"1\"");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(several.status()).isEqualTo(412);
        assertThat(rows("fhir_resource_version")).isEqualTo(3);
        assertThat(http.delete("/fhir/Patient?family=okafor", "If-Match", "W/\"1\"").status()).isEqualTo(204);
        assertThat(http.get("/fhir/Patient/" + id).status()).isEqualTo(410);
    }

    @Test
    void historyAtTypeAndSystemLevelListsEveryVersionNewestFirstAndHonoursCount() {
        String a = create(patient("Alpha"));
        create(patient("Beta"));
        Patient changed = patient("Alpha-2");
        changed.setId(a);
        http.putJson("/fhir/Patient/" + a, changed);

        Bundle type = http.get("/fhir/Patient/_history").bundle();
        Bundle system = http.get("/fhir/_history?_count=2").bundle();

        assertThat(type.getEntry()).hasSize(3);
        assertThat(((Patient) type.getEntry().get(0).getResource()).getNameFirstRep().getFamily()).isEqualTo("Alpha-2");
        assertThat(system.getEntry()).hasSize(2);
        assertThat(system.getLink("next")).isNotNull();
    }

    @Test
    void historySinceLeavesOutEarlierVersions() throws Exception {
        create(patient("Before"));
        Thread.sleep(20);
        String since = java.time.Instant.now().toString();
        Thread.sleep(20);
        create(patient("After"));

        Bundle history = http.get("/fhir/Patient/_history?_since=" + since).bundle();

        assertThat(history.getEntry()).hasSize(1);
        assertThat(((Patient) history.getEntryFirstRep().getResource()).getNameFirstRep().getFamily())
                .isEqualTo("After");
    }

    @Test
    void historyPagingLinksCarryASinceWithAZoneOffsetAndTheResponseShape() {
        for (String family : new String[] {"A", "B", "C"}) {
            create(patient(family));
        }
        // "+01:00" sent unencoded in a link would be read back as " 01:00".
        String since = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(1)).minusMinutes(10).toString();
        Bundle first = http.get("/fhir/Patient/_history?_count=2&_elements=name&_format=xml&_since="
                + since.replace("+", "%2B")).bundle();
        String next = first.getLink("next").getUrl();

        Response second = http.get(next.substring(next.indexOf("/fhir")));

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Content-Type")).startsWith("application/fhir+xml");
        assertThat(second.bundle().getEntry()).hasSize(1);
        assertThat(second.bundle().getEntryFirstRep().getResource().getMeta().getTag())
                .anyMatch(t -> t.getCode().equals("SUBSETTED"));
    }

    @Test
    void historyAtListsOnlyTheVersionsCurrentDuringThePeriodAndAcceptsPartialDates() {
        String id = create(patient("Jan"));
        for (String family : new String[] {"Feb", "Mar"}) {
            Patient changed = patient(family);
            changed.setId(id);
            assertThat(http.putJson("/fhir/Patient/" + id, changed).status()).isEqualTo(200);
        }
        // Versions made on 15 January, 10 February and 5 March 2024.
        String[] made = {"2024-01-15T12:00:00Z", "2024-02-10T12:00:00Z", "2024-03-05T12:00:00Z"};
        for (int v = 1; v <= 3; v++) {
            jdbc.update("update fhir_resource_version set last_updated = ?::timestamptz where version = ?",
                    made[v - 1], v);
        }

        assertThat(historyAt(id, "2024-02")).containsExactly("Feb", "Jan");
        assertThat(historyAt(id, "2024-01-20")).containsExactly("Jan");
        assertThat(historyAt(id, "2024-02-10T12:00:00Z")).containsExactly("Feb");
        assertThat(historyAt(id, "2024-03-01T09:00")).containsExactly("Feb");
        assertThat(historyAt(id, "2024")).containsExactly("Mar", "Feb", "Jan");
        assertThat(historyAt(id, "2025")).containsExactly("Mar");
        assertThat(historyAt(id, "2023")).isEmpty();
        assertThat(http.get("/fhir/Patient/" + id + "/_history?_at=last-week").status()).isEqualTo(400);
    }

    private java.util.List<String> historyAt(String id, String at) {
        Response r = http.get("/fhir/Patient/" + id + "/_history?_at=" + at);
        assertThat(r.status()).as("_at=" + at).isEqualTo(200);
        return r.bundle().getEntry().stream()
                .map(e -> ((Patient) e.getResource()).getNameFirstRep().getFamily()).toList();
    }

    @Test
    void preferReturnMinimalSendsNoBodyAndOperationOutcomeSendsAnOutcome() {
        Response minimal = http.postJson("/fhir/Patient", patient("A"), "Prefer", "return=minimal");
        Response outcome = http.postJson("/fhir/Patient", patient("B"), "Prefer", "return=OperationOutcome");

        assertThat(minimal.status()).isEqualTo(201);
        assertThat(minimal.body()).isEmpty();
        assertThat(outcome.outcome().getIssueFirstRep().getDiagnostics()).startsWith("Created Patient/");
    }

    @Test
    void deleteSendsAnOutcomeWhenPreferReturnOperationOutcomeAsks() {
        String id = create(patient("Okafor"));
        create(patient("Price"));

        Response direct = http.delete("/fhir/Patient/" + id, "Prefer", "return=OperationOutcome");
        Response conditional = http.delete("/fhir/Patient?family=price", "Prefer", "return=OperationOutcome");

        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(direct.outcome().getIssueFirstRep().getDiagnostics())
                .isEqualTo("Deleted Patient/" + id + " version 2");
        assertThat(conditional.status()).isEqualTo(200);
        assertThat(conditional.outcome().getIssueFirstRep().getDiagnostics()).startsWith("Deleted Patient/");
        assertThat(http.get("/fhir/Patient/" + id).status()).isEqualTo(410);
        assertThat(http.delete("/fhir/Patient/" + id).status()).isEqualTo(204);
    }

    @Test
    void xmlIsServedWhenAskedByFormatOrAccept() {
        String id = create(patient("Okafor"));

        Response byFormat = http.get("/fhir/Patient/" + id + "?_format=xml");
        Response byAccept = http.get("/fhir/Patient/" + id, "Accept", "application/fhir+xml");

        assertThat(byFormat.header("Content-Type")).startsWith("application/fhir+xml");
        assertThat(byFormat.body()).startsWith("<Patient xmlns=\"http://hl7.org/fhir\">");
        assertThat(byAccept.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("Okafor");
    }

    @Test
    void acceptIsNegotiatedByQualityAndOneNamingNoFormatServedIs406() {
        String path = "/fhir/Patient/" + create(patient("Okafor"));

        assertThat(contentType(path, "application/fhir+json;q=0.5, application/fhir+xml"))
                .startsWith("application/fhir+xml");
        assertThat(contentType(path, "application/fhir+xml;q=0, */*")).startsWith("application/fhir+json");
        // A browser's Accept: XML, labelled with the generic type it named (R4 http.html).
        assertThat(contentType(path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
                .startsWith("application/xml");
        assertThat(contentType(path, "*/*")).startsWith("application/fhir+json");
        assertThat(contentType(path, "application/fhir+json, application/fhir+xml"))
                .startsWith("application/fhir+json");
        Response html = http.get(path, "Accept", "text/html");
        assertThat(html.status()).isEqualTo(406);
        assertThat(html.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTSUPPORTED);
        assertThat(http.get(path, "Accept", "application/fhir+json;q=0").status()).isEqualTo(406);
        // _format overrides Accept.
        assertThat(http.get(path + "?_format=json", "Accept", "text/html").status()).isEqualTo(200);
    }

    @Test
    void aGenericJsonOrXmlMediaTypeIsAnsweredWithThatType() {
        String path = "/fhir/Patient/" + create(patient("Okafor"));

        assertThat(contentType(path, "text/json")).startsWith("text/json");
        assertThat(contentType(path, "application/json")).startsWith("application/json");
        assertThat(contentType(path, "application/xml")).startsWith("application/xml");
        assertThat(contentType(path, "text/xml")).startsWith("text/xml");
        assertThat(http.get(path, "Accept", "text/json").resource(Patient.class).getNameFirstRep().getFamily())
                .isEqualTo("Okafor");
        assertThat(http.get(path + "?_format=text/json").header("Content-Type")).startsWith("text/json");
        assertThat(http.get(path + "?_format=json").header("Content-Type")).startsWith("application/fhir+json");
        assertThat(contentType(path, "application/fhir+xml")).startsWith("application/fhir+xml");
    }

    @Test
    void errorOutcomesAreIndentedWhenPrettyPrintingIsAsked() {
        Response json = http.get("/fhir/Patient/nope?_pretty=true");
        Response xml = http.get("/fhir/Patient/nope?_pretty=true&_format=xml");

        assertThat(json.status()).isEqualTo(404);
        assertThat(json.body()).startsWith("{\n");
        assertThat(xml.header("Content-Type")).startsWith("application/fhir+xml");
        assertThat(xml.body()).startsWith("<OperationOutcome xmlns=\"http://hl7.org/fhir\">\n");
        assertThat(http.get("/fhir/Patient/nope").body()).doesNotContain("\n");
    }

    private String contentType(String path, String accept) {
        Response r = http.get(path, "Accept", accept);
        assertThat(r.status()).as(accept).isEqualTo(200);
        return r.header("Content-Type");
    }

    @Test
    void xmlBodiesAreAccepted() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Jones\"/></name></Patient>";

        Response r = http.post("/fhir/Patient", xml, "application/fhir+xml", "Accept", "application/fhir+xml");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("Jones");
    }

    @Test
    void prettyPrintingIndentsTheOutput() {
        String id = create(patient("Okafor"));

        assertThat(http.get("/fhir/Patient/" + id + "?_pretty=true").body()).contains("\n  \"resourceType\"");
    }

    @Test
    void elementsReturnsOnlyTheNamedElementsAndMarksTheResourceSubsetted() {
        Patient p = patient("Okafor");
        p.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        String id = create(p);

        Patient subset = http.get("/fhir/Patient/" + id + "?_elements=gender").resource(Patient.class);

        assertThat(subset.getGender()).isNotNull();
        assertThat(subset.hasName()).isFalse();
        assertThat(subset.getMeta().getTag()).anyMatch(t -> t.getCode().equals("SUBSETTED"));
    }

    @Test
    void aHistoryPollerAskingSinceThePreviousAnswersTimeMissesNoChangeCommittedLate() throws InterruptedException {
        Patient late = patient("Late");
        late.setId("late-1");
        String early = create(patient("Early"));
        // Stamps are whole milliseconds: a change in the very millisecond the open write began cannot be told from
        // it, and waits for the next answer.
        Thread.sleep(5);
        Bundle first;
        String after;
        try (HeldWrite held = HeldWrite.start(repository, late)) {
            // Committed while the late write is still open, so stamped after it.
            after = create(patient("After"));
            first = http.get("/fhir/Patient/_history").bundle();
            held.commit();
        }
        String since = first.getMeta().getLastUpdatedElement().getValueAsString();

        Bundle next = http.get("/fhir/Patient/_history?_since=" + since.replace("+", "%2B")).bundle();

        // The first answer stops before the open write: nothing newer than a change still to commit.
        assertThat(ids(first)).containsExactly(early);
        assertThat(ids(next)).containsExactlyInAnyOrder("late-1", after);
    }

    @Test
    void historyPagesKeepTheFirstPagesCutOffSoAVersionCommittedBetweenPagesIsNeitherRepeatedNorLost()
            throws InterruptedException {
        String a = create(patient("A"));
        String b = create(patient("B"));
        String c = create(patient("C"));
        Thread.sleep(5);
        Bundle first = http.get("/fhir/Patient/_history?_count=2").bundle();
        Thread.sleep(5);
        String d = create(patient("D"));

        String next = first.getLink("next").getUrl();
        Bundle second = http.get(next.substring(next.indexOf("/fhir"))).bundle();
        String since = second.getMeta().getLastUpdatedElement().getValueAsString();
        Bundle poll = http.get("/fhir/Patient/_history?_since=" + since.replace("+", "%2B")).bundle();

        assertThat(ids(first)).containsExactly(c, b);
        assertThat(ids(second)).containsExactly(a);
        assertThat(second.getLink("next")).isNull();
        assertThat(second.getMeta().getLastUpdated()).isEqualTo(first.getMeta().getLastUpdated());
        assertThat(ids(poll)).containsExactly(d);
    }

    @Test
    void aResourceLeavingTheCallersViewBetweenHistoryPagesTakesNoOtherVersionOffTheNextPage()
            throws InterruptedException {
        assertThat(http.put("/fhir/Patient/hp-1", "{\"resourceType\":\"Patient\",\"id\":\"hp-1\"}",
                "application/fhir+json").status()).isEqualTo(201);
        java.util.List<String> notes = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread.sleep(2);
            Response r = http.post("/fhir/Observation", """
                    {"resourceType":"Observation","status":"final","code":{"text":"weight"},
                     "subject":{"reference":"Patient/hp-1"}}""", "application/fhir+json");
            assertThat(r.status()).isEqualTo(201);
            notes.add(r.resource(org.hl7.fhir.r4.model.Observation.class).getIdElement().getIdPart());
        }
        FhirHttp patient = http.as(tokens.bearer(org.charnwood.app.testing.TestTokens.Caller.patient("hp-1")));
        Bundle first = patient.get("/fhir/Observation/_history?_count=2").bundle();
        assertThat(ids(first)).containsExactly(notes.get(3), notes.get(2));

        // The newest leaves the patient's view before the next page is asked for: deleted, its versions go from it.
        assertThat(http.delete("/fhir/Observation/" + notes.get(3)).status()).isEqualTo(204);
        String next = first.getLink("next").getUrl();
        Bundle second = patient.get(next.substring(next.indexOf("/fhir"))).bundle();

        assertThat(ids(second)).containsExactly(notes.get(1), notes.get(0));
        assertThat(second.getLink("next")).isNull();
        assertThat(patient.get("/fhir/Observation/_history?_after=yesterday").status()).isEqualTo(400);
    }

    @Test
    void aResourceDeletedBetweenEverythingPagesTakesNoOtherResourceOffTheNextPage() {
        assertThat(http.put("/fhir/Patient/ev-1", "{\"resourceType\":\"Patient\",\"id\":\"ev-1\"}",
                "application/fhir+json").status()).isEqualTo(201);
        java.util.List<String> notes = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Response r = http.post("/fhir/Observation", """
                    {"resourceType":"Observation","status":"final","code":{"text":"weight"},
                     "subject":{"reference":"Patient/ev-1"}}""", "application/fhir+json");
            assertThat(r.status()).isEqualTo(201);
            notes.add(r.resource(org.hl7.fhir.r4.model.Observation.class).getIdElement().getIdPart());
        }
        Bundle first = http.get("/fhir/Patient/ev-1/$everything?_count=2").bundle();
        assertThat(ids(first)).containsExactly("ev-1", notes.get(0));

        assertThat(http.delete("/fhir/Observation/" + notes.get(0)).status()).isEqualTo(204);
        String next = first.getLink("next").getUrl();
        Bundle second = http.get(next.substring(next.indexOf("/fhir"))).bundle();
        assertThat(ids(second)).containsExactly(notes.get(1), notes.get(2));
        String last = second.getLink("next").getUrl();
        Bundle third = http.get(last.substring(last.indexOf("/fhir"))).bundle();
        assertThat(ids(third)).containsExactly(notes.get(3));
        assertThat(third.getLink("next")).isNull();
        assertThat(http.get("/fhir/Patient/ev-1/$everything?_after=x").status()).isEqualTo(400);
    }

    @Test
    void theHistoryCutOffIsAnInstantAndOnlyHistoryTakesIt() {
        assertThat(http.get("/fhir/Patient/_history?_cutoff=yesterday").status()).isEqualTo(400);
        assertThat(http.get("/fhir/Patient?_cutoff=2024-05-01T10:00:00Z").status()).isEqualTo(400);
    }

    private static java.util.List<String> ids(Bundle history) {
        return history.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    void headAnswersWhereverGetReadsWithTheSameStatusAndHeadersButNoBody() {
        String id = create(patient("Okafor"));

        for (String path : new String[] {"/fhir/Patient/" + id, "/fhir/Patient/" + id + "/_history/1",
                "/fhir/Patient/" + id + "/_history", "/fhir/Patient/_history", "/fhir/_history",
                "/fhir/Patient?family=okafor", "/fhir?_type=Patient", "/fhir/metadata"}) {
            Response get = http.get(path);
            Response head = http.send("HEAD", path, null, null);

            assertThat(get.status()).as(path).isEqualTo(200);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
            assertThat(head.header("ETag")).as(path).isEqualTo(get.header("ETag"));
        }
    }

    @Test
    void aMethodNotAllowedNamesTheMethodsThatAre() {
        String id = create(patient("Okafor"));

        Response vread = http.delete("/fhir/Patient/" + id + "/_history/1");
        Response history = http.send("POST", "/fhir/Patient/_history", "{}", "application/fhir+json");
        Response metadata = http.delete("/fhir/metadata");
        Response instance = http.send("POST", "/fhir/Patient/" + id, "{}", "application/fhir+json");
        Response auditEvent = http.delete("/fhir/AuditEvent/some-event");

        assertThat(vread.status()).isEqualTo(405);
        assertThat(vread.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(history.status()).isEqualTo(405);
        assertThat(history.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(metadata.status()).isEqualTo(405);
        assertThat(metadata.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(instance.status()).isEqualTo(405);
        assertThat(instance.header("Allow")).isEqualTo("GET, HEAD, PUT, PATCH, DELETE");
        assertThat(instance.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTSUPPORTED);
        assertThat(auditEvent.status()).isEqualTo(405);
        assertThat(auditEvent.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void aSubsettedResourceCarriesTheSubsettedTagOnce() {
        String id = create(patient("Okafor"));

        for (String query : new String[] {"_elements=gender", "_summary=true", "_summary=text", "_summary=data",
                "_elements=gender&_format=xml"}) {
            Patient read = http.get("/fhir/Patient/" + id + "?" + query).resource(Patient.class);
            Bundle found = http.get("/fhir/Patient?_id=" + id + "&" + query).bundle();

            assertThat(read.getMeta().getTag()).as(query).filteredOn(t -> t.getCode().equals("SUBSETTED")).hasSize(1);
            assertThat(found.getEntryFirstRep().getResource().getMeta().getTag()).as(query)
                    .filteredOn(t -> t.getCode().equals("SUBSETTED")).hasSize(1);
        }
    }

    @Test
    void conditionalReadWithIfNoneMatchGives304() {
        String id = create(patient("Okafor"));

        assertThat(http.get("/fhir/Patient/" + id, "If-None-Match", "W/\"1\"").status()).isEqualTo(304);
    }

    @Test
    void capabilityStatementDescribesEveryResourceType() {
        CapabilityStatement cs = http.get("/fhir/metadata").resource(CapabilityStatement.class);

        assertThat(cs.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(cs.getRestFirstRep().getResource()).hasSizeGreaterThan(140);
        assertThat(cs.getFormat()).extracting(f -> f.getValue()).contains("application/fhir+json", "application/fhir+xml");
        var patient = cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Patient")).findFirst()
                .orElseThrow();
        assertThat(patient.getSearchParam()).extracting(p -> p.getName()).contains("identifier", "family", "birthdate",
                "_id", "_lastUpdated");
        assertThat(patient.getSearchParam()).filteredOn(p -> p.getName().equals("phonetic")).singleElement()
                .satisfies(p -> assertThat(p.getDocumentation()).contains("Soundex"));
        assertThat(patient.getOperation()).extracting(o -> o.getName()).contains("everything");
    }

    @Test
    void capabilityStatementDeclaresVersionAwareUpdatesAndConditionalReads() {
        CapabilityStatement cs = http.get("/fhir/metadata").resource(CapabilityStatement.class);
        var patient = cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Patient")).findFirst()
                .orElseThrow();

        assertThat(patient.getVersioning()).isEqualTo(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
        assertThat(patient.getConditionalRead()).isEqualTo(CapabilityStatement.ConditionalReadStatus.FULLSUPPORT);
        assertThat(patient.getConditionalDelete()).isEqualTo(CapabilityStatement.ConditionalDeleteStatus.MULTIPLE);
        assertThat(patient.getReferencePolicy()).extracting(p -> p.getValue()).containsExactlyInAnyOrder(
                CapabilityStatement.ReferenceHandlingPolicy.LITERAL, CapabilityStatement.ReferenceHandlingPolicy.LOGICAL,
                CapabilityStatement.ReferenceHandlingPolicy.ENFORCED);
        // What is declared is what happens: a stale If-Match is 412, and If-Modified-Since a 304.
        String id = create(patient("Okafor"));
        Patient changed = patient("Okafor-Price");
        changed.setId(id);
        assertThat(http.putJson("/fhir/Patient/" + id, changed, "If-Match", "W/\"9\"").status()).isEqualTo(412);
        String modified = http.get("/fhir/Patient/" + id).header("Last-Modified");
        assertThat(http.get("/fhir/Patient/" + id, "If-Modified-Since", modified).status()).isEqualTo(304);
    }

    @Test
    void searchReturnsASearchsetWithPagingLinks() {
        for (int i = 0; i < 3; i++) {
            create(patient("P" + i));
        }

        Bundle page = http.get("/fhir/Patient?_count=2").bundle();

        assertThat(page.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(page.getEntry()).hasSize(2);
        assertThat(page.getEntryFirstRep().getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
        String next = page.getLink("next").getUrl();
        Bundle second = http.get(next.substring(next.indexOf("/fhir"))).bundle();
        assertThat(second.getEntry()).hasSize(1);
        assertThat(second.getLink("previous")).isNotNull();
    }

    @Test
    void tokenSearchesWithAnUnencodedBarAreAccepted() throws Exception {
        Patient p = patient("Okafor");
        p.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9000000009");
        create(p);

        // java.net.URI would encode the bar; send the raw request line a partner system might send.
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009 "
                    + "HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + http.bearerToken()
                    + "\r\nConnection: close\r\n\r\n").getBytes());
            String response = new String(socket.getInputStream().readAllBytes());
            assertThat(response).startsWith("HTTP/1.1 200").contains("Okafor");
        }
    }

    private String create(Patient p) {
        Response r = http.postJson("/fhir/Patient", p);
        assertThat(r.status()).isEqualTo(201);
        return r.resource(Patient.class).getIdElement().getIdPart();
    }

    static Patient patient(String family) {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily(family).addGiven("Sam"));
        return p;
    }

    @SuppressWarnings("unused")
    private static String json(Patient p) {
        return FhirHttp.json(p);
    }
}
