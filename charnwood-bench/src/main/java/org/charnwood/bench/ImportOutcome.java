package org.charnwood.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.charnwood.bench.FhirHttpClient.Result;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One timed {@code $import}: how many resources the server says it imported (from its OperationOutcome), how many
 * references it reported dangling, and how long the request took end to end.
 */
record ImportOutcome(long imported, long warnings, String message, long nanos) {

    private static final Pattern IMPORTED = Pattern.compile("Imported (\\d+) resources");
    private static final ObjectMapper JSON = new ObjectMapper();

    double seconds() {
        return nanos / 1e9;
    }

    double resourcesPerSecond() {
        return imported / seconds();
    }

    /** Streams the body to the server and waits for its answer; a non-2xx answer is a {@link BenchFailure}. */
    static ImportOutcome send(FhirHttpClient client, Supplier<InputStream> body) {
        long start = System.nanoTime();
        Result r = client.importNdjson(body);
        long nanos = System.nanoTime() - start;
        if (!r.ok()) {
            throw new BenchFailure("$import failed: " + r.describe());
        }
        return read(r.body(), nanos);
    }

    static ImportOutcome read(String operationOutcome, long nanos) {
        try {
            JsonNode issues = JSON.readTree(operationOutcome).path("issue");
            long imported = -1;
            long warnings = 0;
            String message = "";
            for (JsonNode issue : issues) {
                String text = issue.path("diagnostics").asText(issue.path("details").path("text").asText(""));
                Matcher m = IMPORTED.matcher(text);
                if (m.find()) {
                    imported = Long.parseLong(m.group(1));
                    message = text;
                } else if ("warning".equals(issue.path("severity").asText())) {
                    warnings++;
                }
            }
            return new ImportOutcome(imported, warnings, message, nanos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
