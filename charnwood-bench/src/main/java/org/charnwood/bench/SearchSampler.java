package org.charnwood.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.charnwood.bench.FhirHttpClient.Result;
import org.charnwood.bench.SearchSample.ObservationFacts;
import org.charnwood.bench.SearchSample.PatientFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples the server's own data (one page of patients, one of observations) so the search mix asks for things
 * that exist, whatever was loaded. Plain JSON reading, not the FHIR parser: only a few fields are needed.
 */
final class SearchSampler {

    static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    static final String PATIENTS = "/Patient?_count=500";
    static final String OBSERVATIONS = "/Observation?_count=1000";
    static final String PATIENT_ELEMENTS = "&_elements=identifier,name,birthDate,address";
    static final String OBSERVATION_ELEMENTS = "&_elements=subject,code";

    private final ObjectMapper json = new ObjectMapper();
    private final FhirHttpClient client;
    private final List<String> notes = new ArrayList<>();

    SearchSampler(FhirHttpClient client) {
        this.client = client;
    }

    SearchSample sample() throws Exception {
        notes.clear();
        List<PatientFacts> patients = new ArrayList<>();
        for (JsonNode p : resources(PATIENTS, PATIENT_ELEMENTS)) {
            patients.add(patient(p));
        }
        if (patients.isEmpty()) {
            throw new BenchFailure("The server has no patients to search for: load data first (ingest or bulk)");
        }
        List<ObservationFacts> observations = new ArrayList<>();
        for (JsonNode o : resources(OBSERVATIONS, OBSERVATION_ELEMENTS)) {
            String subject = o.path("subject").path("reference").asText("");
            JsonNode coding = o.path("code").path("coding").path(0);
            if (subject.startsWith("Patient/") && coding.hasNonNull("code")) {
                observations.add(new ObservationFacts(subject.substring("Patient/".length()),
                        coding.path("system").asText(null), coding.path("code").asText()));
            }
        }
        return new SearchSample(patients, observations, notes);
    }

    /** How many patients the server holds, or -1 when it cannot say. */
    long patientCount() throws Exception {
        Result r = client.get("/Patient?_summary=count");
        return r.ok() ? json.readTree(r.body()).path("total").asLong(-1) : -1;
    }

    /**
     * One page of resources, trimmed to {@code elements} (less to send and read). When the server refuses
     * {@code _elements} or answers it with no entries, asks again without it and says so, since that is a server
     * fault worth knowing about, not a reason to stop.
     */
    private List<JsonNode> resources(String query, String elements) throws Exception {
        Result trimmed = client.get(query + elements);
        List<JsonNode> out = trimmed.ok() ? entries(trimmed) : List.of();
        if (!out.isEmpty()) {
            return out;
        }
        Result whole = client.get(query);
        if (!whole.ok()) {
            throw new BenchFailure("Sampling with GET " + query + " failed: " + whole.describe());
        }
        out = entries(whole);
        if (!out.isEmpty()) {
            notes.add("GET " + query + elements + " gave " + (trimmed.ok() ? "no entries" : "HTTP " + trimmed.status())
                    + " though the same search without _elements finds resources; sampled without it.");
        }
        return out;
    }

    private List<JsonNode> entries(Result r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        json.readTree(r.body()).path("entry").forEach(e -> out.add(e.path("resource")));
        return out;
    }

    static PatientFacts patient(JsonNode p) {
        String nhs = null;
        for (JsonNode id : p.path("identifier")) {
            if (NHS_NUMBER_SYSTEM.equals(id.path("system").asText())) {
                nhs = id.path("value").asText(null);
            }
        }
        return new PatientFacts(p.path("id").asText(), nhs,
                p.path("name").path(0).path("family").asText(null),
                p.path("birthDate").asText(null),
                p.path("address").path(0).path("postalCode").asText(null));
    }
}
