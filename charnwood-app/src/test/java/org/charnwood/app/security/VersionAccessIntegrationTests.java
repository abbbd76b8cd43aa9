package org.charnwood.app.security;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessFixture.labelled;
import static org.charnwood.app.security.AccessFixture.observation;
import static org.charnwood.app.security.AccessRole.CLINICIAN;
import static org.charnwood.app.security.AccessRole.REGISTERED_NURSE;

/**
 * Older versions are judged on their own content, and the current version must be visible too: a record filed on
 * the wrong patient and moved, a category changed, a label taken off, leave nothing of the earlier version to those
 * it was hidden from. And answers to writes do not confirm or name what the writer may not see.
 */
class VersionAccessIntegrationTests extends AccessFixtureIntegrationTest {

    private static final Caller CLINICIAN_DOC = Caller.staff("Practitioner/doc", CLINICIAN);
    /** Related to p1 through team-a, not to p2; may not see very restricted entries. */
    private static final Caller NURSE_DOC = Caller.staff("Practitioner/doc", REGISTERED_NURSE);
    private static final String V_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    /** Writes the versions in turn, as a system would. */
    private void versions(Observation... versions) {
        for (Observation o : versions) {
            AccessFixture.put(repository, List.of(o));
        }
    }

    private static Observation said(Observation o, String words) {
        o.setValue(new org.hl7.fhir.r4.model.StringType(words));
        return o;
    }

    private static List<String> versionsIn(Bundle history, String id) {
        return history.getEntry().stream().filter(e -> e.getFullUrl().contains("/Observation/" + id))
                .map(e -> e.getResponse().getEtag()).toList();
    }

    @Test
    void aPatientDoesNotSeeTheVersionFiledOnAnotherPatient() {
        versions(said(observation("vl-move", "p1", "vital-signs"), "SECRETP1MISFILED"),
                said(observation("vl-move", "p2", "vital-signs"), "corrected"));
        Caller p2 = Caller.patient("p2");

        assertThat(as(p2).get("/fhir/Observation/vl-move/_history/2").status()).isEqualTo(200);
        Response old = as(p2).get("/fhir/Observation/vl-move/_history/1");
        assertThat(old.status()).isEqualTo(404);
        assertThat(old.body()).doesNotContain("SECRETP1MISFILED");
        // The same answer as for a version that never was.
        assertThat(as(p2).get("/fhir/Observation/vl-move/_history/9").status()).isEqualTo(404);
        for (String history : List.of("/fhir/Observation/vl-move/_history", "/fhir/Observation/_history?_count=500",
                "/fhir/_history?_count=500")) {
            Response r = as(p2).get(history);
            assertThat(r.status()).as(history).isEqualTo(200);
            assertThat(r.body()).as(history).doesNotContain("SECRETP1MISFILED");
            assertThat(versionsIn(r.bundle(), "vl-move")).as(history).containsExactly("W/\"2\"");
        }
        // p1 may not know of the record now it is p2's, not even its version filed on them.
        assertThat(as(Caller.patient("p1")).get("/fhir/Observation/vl-move/_history/1").status()).isEqualTo(404);
        assertThat(as(Caller.patient("p1")).get("/fhir/Observation/vl-move/_history").status()).isEqualTo(404);
    }

    @Test
    void staffDoNotSeeAVersionFiledOnAPatientTheyHaveNoRelationshipWith() {
        versions(said(observation("vl-staff", "p2", "vital-signs"), "SECRETP2MISFILED"),
                said(observation("vl-staff", "p1", "vital-signs"), "corrected"));

        assertThat(as(NURSE_DOC).get("/fhir/Observation/vl-staff/_history/2").status()).isEqualTo(200);
        assertThat(as(NURSE_DOC).get("/fhir/Observation/vl-staff/_history/1").status()).isEqualTo(404);
        Response history = as(NURSE_DOC).get("/fhir/Observation/vl-staff/_history");
        assertThat(history.body()).doesNotContain("SECRETP2MISFILED");
        assertThat(versionsIn(history.bundle(), "vl-staff")).containsExactly("W/\"2\"");
        // Paged one at a time, the hidden version leaves neither an entry nor a next page.
        Bundle page = as(NURSE_DOC).get("/fhir/Observation/vl-staff/_history?_count=1").bundle();
        assertThat(versionsIn(page, "vl-staff")).containsExactly("W/\"2\"");
        assertThat(page.getLink("next")).isNull();
    }

    @Test
    void judgingAnOldVersionDoesNotWaitForAWriterThatOnlyRefersToTheResource() throws Exception {
        versions(said(observation("vl-busy", "p2", "vital-signs"), "SECRETBUSY"),
                said(observation("vl-busy", "p1", "vital-signs"), "corrected"));
        try (java.sql.Connection referrer = jdbc.getDataSource().getConnection()) {
            // As a write referring to the observation holds it until it commits.
            referrer.setAutoCommit(false);
            try (var s = referrer.createStatement()) {
                s.executeQuery("select 1 from fhir_resource where res_type = 'Observation' and res_id = 'vl-busy'"
                        + " for key share").close();
            }
            try {
                var history = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> as(NURSE_DOC).get("/fhir/Observation/vl-busy/_history"));
                // Version 1 (filed on p2) must be judged in the database; it would wait here for the referrer.
                Response r = history.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(versionsIn(r.bundle(), "vl-busy")).containsExactly("W/\"2\"");
            } finally {
                referrer.rollback();
            }
        }
    }

    @Test
    void aNarrowedScopeDoesNotSeeAnEarlierVersionOutsideIt() {
        versions(said(observation("vl-cat", "p1", "laboratory"), "SECRETLABRESULT"),
                said(observation("vl-cat", "p1", "vital-signs"), "pulse 70"));
        Caller vitals = Caller.patient("p1").scopes("patient/Observation.rs?category=vital-signs");

        assertThat(as(vitals).get("/fhir/Observation/vl-cat/_history/2").status()).isEqualTo(200);
        assertThat(as(vitals).get("/fhir/Observation/vl-cat/_history/1").status()).isEqualTo(404);
        Response history = as(vitals).get("/fhir/Observation/vl-cat/_history");
        assertThat(history.body()).doesNotContain("SECRETLABRESULT");
        assertThat(versionsIn(history.bundle(), "vl-cat")).containsExactly("W/\"2\"");
        // Without the narrowing, p1 sees both.
        assertThat(as(Caller.patient("p1")).get("/fhir/Observation/vl-cat/_history/1").status()).isEqualTo(200);
    }

    @Test
    void aVersionThatCarriedAVeryRestrictedLabelStaysHiddenAfterTheLabelIsRemoved() {
        versions(said(labelled(observation("vl-unl", "p1", "vital-signs"), V_SYSTEM, "V"), "SECRETOLDV"),
                said(observation("vl-unl", "p1", "vital-signs"), "redacted"));

        assertThat(as(NURSE_DOC).get("/fhir/Observation/vl-unl/_history/2").status()).isEqualTo(200);
        assertThat(as(NURSE_DOC).get("/fhir/Observation/vl-unl/_history/1").status()).isEqualTo(404);
        for (String history : List.of("/fhir/Observation/vl-unl/_history", "/fhir/Observation/_history?_count=500",
                "/fhir/_history?_count=500")) {
            Response r = as(NURSE_DOC).get(history);
            assertThat(r.body()).as(history).doesNotContain("SECRETOLDV");
            assertThat(versionsIn(r.bundle(), "vl-unl")).as(history).containsExactly("W/\"2\"");
        }
        // A clinician permitted very restricted entries still reads it.
        Response clinician = as(CLINICIAN_DOC).get("/fhir/Observation/vl-unl/_history/1");
        assertThat(clinician.status()).isEqualTo(200);
        assertThat(clinician.body()).contains("SECRETOLDV");
    }

    @Test
    void aRefusedDeleteNamesNoReferrerHiddenFromTheWriter() {
        Observation hidden = labelled(observation("vl-vref", "p1", "vital-signs"), V_SYSTEM, "V");
        hidden.addDerivedFrom(new Reference("Observation/vl-target"));
        AccessFixture.put(repository, List.of(observation("vl-target", "p1", "vital-signs"), hidden));

        Response nurse = as(NURSE_DOC).delete("/fhir/Observation/vl-target");
        assertThat(nurse.status()).isEqualTo(409);
        assertThat(nurse.body()).doesNotContain("vl-vref").contains("other records refer to it");
        Response clinician = as(CLINICIAN_DOC).delete("/fhir/Observation/vl-target");
        assertThat(clinician.status()).isEqualTo(409);
        assertThat(clinician.body()).contains("Observation/vl-vref");
    }

    @Test
    void writesToAHiddenIdAreAnsweredAsForAnUnknownOne() {
        String patch = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]";
        Response hiddenPatch = as(NURSE_DOC).patch("/fhir/Observation/p1-v", patch, "application/json-patch+json");
        Response unknownPatch = as(NURSE_DOC).patch("/fhir/Observation/vl-none", patch,
                "application/json-patch+json");
        assertThat(hiddenPatch.status()).isEqualTo(404).isEqualTo(unknownPatch.status());
        assertThat(hiddenPatch.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo(unknownPatch.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode());

        // An update cannot be answered as for an unknown id, which it would create: it is refused without saying
        // that anything is there, in the words a patch of an unknown id gets.
        Response hiddenPut = as(NURSE_DOC).putJson("/fhir/Observation/p1-v", observation("p1-v", "p1", "vital-signs"));
        assertThat(hiddenPut.status()).isEqualTo(404);
        assertThat(hiddenPut.body()).contains("CHARNWOOD-1001").doesNotContain("CHARNWOOD-2054");
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p1-v").resource(Observation.class).getMeta()
                .getVersionId()).isEqualTo("1");
        // A record the nurse may see is updated as before.
        assertThat(as(NURSE_DOC).putJson("/fhir/Observation/p1-obs", observation("p1-obs", "p1", "vital-signs"))
                .status()).isEqualTo(200);
    }

    @Test
    void aReferenceToAHiddenResourceIsRefusedAsOneThatDoesNotResolve() {
        Response hidden = as(NURSE_DOC).postJson("/fhir/Observation", derivedFrom("Observation/p1-v"));
        Response unknown = as(NURSE_DOC).postJson("/fhir/Observation", derivedFrom("Observation/vl-nothing"));
        assertThat(hidden.status()).as(hidden.body()).isEqualTo(422).isEqualTo(unknown.status());
        assertThat(hidden.body()).contains("does not resolve");
        // Another patient's observation, which the nurse has no relationship to see, is hidden the same way.
        assertThat(as(NURSE_DOC).postJson("/fhir/Observation", derivedFrom("Observation/p2-obs")).status())
                .isEqualTo(422);
        // What the nurse may see is referred to as before, reference data (a practitioner) included.
        Observation visible = derivedFrom("Observation/p1-obs");
        visible.addPerformer(new Reference("Practitioner/other"));
        assertThat(as(NURSE_DOC).postJson("/fhir/Observation", visible).status()).isEqualTo(201);
        // The clinician, who may see very restricted entries, refers to it.
        assertThat(as(CLINICIAN_DOC).postJson("/fhir/Observation", derivedFrom("Observation/p1-v")).status())
                .isEqualTo(201);
    }

    @Test
    void aDeleteOfAHiddenIdIsAnsweredAsForAnUnknownOneAndDeletesNothing() {
        for (String hiddenId : List.of("p1-v", "p2-obs")) {
            int before = repository.read("Observation", hiddenId).version();
            Response hidden = as(NURSE_DOC).delete("/fhir/Observation/" + hiddenId);
            Response unknown = as(NURSE_DOC).delete("/fhir/Observation/vl-none");
            assertThat(hidden.status()).as(hidden.body()).isEqualTo(204).isEqualTo(unknown.status());
            assertThat(hidden.header("ETag")).isEqualTo(unknown.header("ETag"));
            // Asking for an outcome, and naming a version, get the same words too.
            Response hiddenSaid = as(NURSE_DOC).delete("/fhir/Observation/" + hiddenId,
                    "Prefer", "return=OperationOutcome");
            Response unknownSaid = as(NURSE_DOC).delete("/fhir/Observation/vl-none", "Prefer", "return=OperationOutcome");
            assertThat(hiddenSaid.status()).isEqualTo(200).isEqualTo(unknownSaid.status());
            assertThat(hiddenSaid.body()).isEqualTo(unknownSaid.body());
            Response hiddenIfMatch = as(NURSE_DOC).delete("/fhir/Observation/" + hiddenId, "If-Match", "W/\"1\"");
            Response unknownIfMatch = as(NURSE_DOC).delete("/fhir/Observation/vl-none", "If-Match", "W/\"1\"");
            assertThat(hiddenIfMatch.status()).isEqualTo(412).isEqualTo(unknownIfMatch.status());
            assertThat(hiddenIfMatch.body().replace(hiddenId, "ID"))
                    .isEqualTo(unknownIfMatch.body().replace("vl-none", "ID"));
            assertUnchanged(hiddenId, before);
        }
        // A patient, who may not delete at all, is refused alike whether or not the id is another patient's record.
        Response patientHidden = as(Caller.patient("p1")).delete("/fhir/Observation/p2-obs");
        Response patientUnknown = as(Caller.patient("p1")).delete("/fhir/Observation/vl-none");
        assertThat(patientHidden.status()).isEqualTo(403).isEqualTo(patientUnknown.status());
        assertThat(patientHidden.body()).isEqualTo(patientUnknown.body());
        // What the nurse may see is still deleted.
        assertThat(as(NURSE_DOC).delete("/fhir/Observation/p1-lab").status()).isEqualTo(204);
        assertThat(as(CLINICIAN_DOC).get("/fhir/Observation/p1-lab").status()).isIn(404, 410);
    }

    @Test
    void bundleEntriesByIdToAHiddenRecordAreAnsweredAsForAnUnknownOne() {
        String patch = "{\"resourceType\":\"Binary\",\"contentType\":\"application/json-patch+json\",\"data\":\""
                + java.util.Base64.getEncoder().encodeToString(
                "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]".getBytes()) + "\"}";
        for (String type : List.of("transaction", "batch")) {
            for (String hiddenId : List.of("p1-v", "p2-obs")) {
                int before = repository.read("Observation", hiddenId).version();
                String deletes = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[%s]}";
                Response hiddenDelete = as(NURSE_DOC).post("/fhir", deletes.formatted(entry("DELETE",
                        "Observation/" + hiddenId, null)), "application/fhir+json");
                Response unknownDelete = as(NURSE_DOC).post("/fhir", deletes.formatted(entry("DELETE",
                        "Observation/vl-none", null)), "application/fhir+json");
                assertThat(hiddenDelete.status()).as(hiddenDelete.body()).isEqualTo(200)
                        .isEqualTo(unknownDelete.status());
                assertThat(entryStatus(hiddenDelete)).isEqualTo(entryStatus(unknownDelete));

                Response hiddenPatch = as(NURSE_DOC).post("/fhir", deletes.formatted(entry("PATCH",
                        "Observation/" + hiddenId, patch)), "application/fhir+json");
                Response unknownPatch = as(NURSE_DOC).post("/fhir", deletes.formatted(entry("PATCH",
                        "Observation/vl-none", patch)), "application/fhir+json");
                assertThat(hiddenPatch.status()).as(hiddenPatch.body()).isEqualTo(unknownPatch.status());
                assertThat(hiddenPatch.body()).doesNotContain("CHARNWOOD-2055")
                        .contains(type.equals("batch") ? "404" : "CHARNWOOD-1001");
                assertThat(hiddenPatch.body().replace(hiddenId, "ID")).isEqualTo(unknownPatch.body()
                        .replace("vl-none", "ID"));

                // An update, which would create an unknown id, is refused as a REST update of the id is.
                Response hiddenPut = as(NURSE_DOC).post("/fhir", deletes.formatted(entry("PUT",
                        "Observation/" + hiddenId, FhirHttp.json(observation(hiddenId, "p1", "vital-signs")))),
                        "application/fhir+json");
                assertThat(hiddenPut.body()).doesNotContain("CHARNWOOD-2055").contains("CHARNWOOD-1001")
                        .contains("is not a record you can update");
                assertUnchanged(hiddenId, before);
            }
        }
    }

    @Test
    void aConditionalUpdateWithAHiddenRecordsIdIsAnsweredAsAnUpdateOfThatIdIs() {
        for (String hiddenId : List.of("p1-v", "p2-obs")) {
            int before = repository.read("Observation", hiddenId).version();
            Observation body = observation(hiddenId, "p1", "vital-signs");
            Response conditional = as(NURSE_DOC).putJson("/fhir/Observation?_id=" + hiddenId, body);
            Response byId = as(NURSE_DOC).putJson("/fhir/Observation/" + hiddenId, body);
            assertThat(conditional.status()).as(conditional.body()).isEqualTo(404).isEqualTo(byId.status());
            assertThat(conditional.body()).isEqualTo(byId.body()).doesNotContain("existing")
                    .doesNotContain("does not match");
            String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                    + entry("PUT", "Observation?_id=" + hiddenId, FhirHttp.json(body)) + "]}";
            Response inBundle = as(NURSE_DOC).post("/fhir", transaction, "application/fhir+json");
            assertThat(inBundle.status()).as(inBundle.body()).isEqualTo(404);
            assertThat(inBundle.body()).contains("is not a record you can update").doesNotContain("existing");
            assertUnchanged(hiddenId, before);
        }
        // An id that is nowhere is still created, and one the nurse sees but the criteria miss is still a conflict.
        assertThat(as(NURSE_DOC).putJson("/fhir/Observation?_id=vl-cu-new", observation("vl-cu-new", "p1",
                "vital-signs")).status()).isEqualTo(201);
        Response seen = as(NURSE_DOC).putJson("/fhir/Observation?_id=vl-cu-other",
                observation("p1-obs", "p1", "vital-signs"));
        assertThat(seen.status()).isEqualTo(409);
    }

    @Test
    void bundleEntriesReferringToAHiddenResourceAreRefusedAsDangling() {
        for (String type : List.of("transaction", "batch")) {
            Response hidden = as(NURSE_DOC).post("/fhir", referring(type, "Observation/p2-obs"),
                    "application/fhir+json");
            Response unknown = as(NURSE_DOC).post("/fhir", referring(type, "Observation/vl-nothing"),
                    "application/fhir+json");
            assertThat(hidden.status()).as(hidden.body()).isEqualTo(unknown.status());
            assertThat(hidden.body()).contains("does not resolve");
            assertThat(hidden.body().replace("p2-obs", "ID")).isEqualTo(unknown.body().replace("vl-nothing", "ID"));
            assertThat(as(NURSE_DOC).post("/fhir", referring(type, "Observation/p1-v"), "application/fhir+json")
                    .body()).contains("does not resolve");
            // What the nurse sees is referred to as before.
            Response visible = as(NURSE_DOC).post("/fhir", referring(type, "Observation/p1-obs"),
                    "application/fhir+json");
            assertThat(visible.status()).isEqualTo(200);
            assertThat(entryStatus(visible)).startsWith("201");
        }
    }

    @Test
    void aRefusedDeleteInABundleNamesNoReferrerHiddenFromTheWriter() {
        Observation hidden = labelled(observation("vl-bref", "p1", "vital-signs"), V_SYSTEM, "V");
        hidden.addDerivedFrom(new Reference("Observation/vl-btarget"));
        AccessFixture.put(repository, List.of(observation("vl-btarget", "p1", "vital-signs"), hidden));
        for (String type : List.of("transaction", "batch")) {
            String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + entry("DELETE", "Observation/vl-btarget", null) + "]}";
            Response nurse = as(NURSE_DOC).post("/fhir", bundle, "application/fhir+json");
            assertThat(nurse.body()).as(type).contains("other records refer to it").doesNotContain("vl-bref");
            Response clinician = as(CLINICIAN_DOC).post("/fhir", bundle, "application/fhir+json");
            assertThat(clinician.body()).as(type).contains("Observation/vl-bref");
        }
    }

    /** Still at the version the fixture wrote, not deleted. */
    private void assertUnchanged(String id, int version) {
        org.charnwood.fhir.StoredResource stored = repository.read("Observation", id);
        assertThat(stored.deleted()).as(id).isFalse();
        assertThat(stored.version()).as(id).isEqualTo(version);
    }

    private static String referring(String type, String reference) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                + entry("POST", "Observation", FhirHttp.json(derivedFrom(reference))) + "]}";
    }

    private static String entry(String method, String url, String resource) {
        return "{" + (resource == null ? "" : "\"resource\":" + resource + ",") + "\"request\":{\"method\":\""
                + method + "\",\"url\":\"" + url + "\"}}";
    }

    private static String entryStatus(Response response) {
        return response.bundle().getEntryFirstRep().getResponse().getStatus();
    }

    private static Observation derivedFrom(String reference) {
        Observation o = observation(null, "p1", "vital-signs");
        o.setId((String) null);
        o.addDerivedFrom(new Reference(reference));
        return o;
    }
}
