package org.charnwood.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bulk export: a system-level {@code $export} of everything on the server (or of {@code --types}), timed from the
 * kick-off to the manifest, then every file fetched as a client would, with the resources and bytes counted.
 */
final class ExportPhase implements Phase {

    private final FhirHttpClient client;
    private final String types;

    ExportPhase(FhirHttpClient client, String types) {
        this.client = client;
        this.types = types;
    }

    static ExportPhase from(Options o) {
        o.allowOnly("base", "types");
        return new ExportPhase(new FhirHttpClient(o.text("base")), o.text("types", ""));
    }

    @Override
    public Report run() throws Exception {
        long start = System.nanoTime();
        FhirHttpClient.Exchange kickOff = client.exchange("/$export" + (types.isEmpty() ? "" : "?_type=" + types),
                "Prefer", "respond-async", "Accept", "application/fhir+json");
        if (kickOff.status() != 202 || kickOff.header("Content-Location") == null) {
            throw new BenchFailure("The export was not started: " + kickOff.status() + " " + kickOff.body());
        }
        String status = kickOff.header("Content-Location");
        JsonNode manifest = null;
        int polls = 0;
        while (manifest == null) {
            FhirHttpClient.Exchange poll = client.exchange(status);
            polls++;
            if (poll.status() == 200) {
                manifest = new ObjectMapper().readTree(poll.body());
            } else if (poll.status() == 202) {
                Thread.sleep(200);
            } else {
                throw new BenchFailure("The export failed: " + poll.status() + " " + poll.body());
            }
        }
        double toManifest = (System.nanoTime() - start) / 1e9;

        long fetchStart = System.nanoTime();
        long resources = 0;
        long bytes = 0;
        int files = 0;
        for (JsonNode output : manifest.get("output")) {
            FhirHttpClient.Exchange file = client.exchange(output.get("url").asText());
            if (file.status() != 200) {
                throw new BenchFailure("A file could not be fetched: " + file.status() + " " + file.body());
            }
            long lines = file.body().lines().count();
            if (lines != output.get("count").asLong()) {
                throw new BenchFailure("A file held " + lines + " resources, not the " + output.get("count")
                        + " its manifest said");
            }
            resources += lines;
            bytes += file.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            files++;
        }
        double fetching = (System.nanoTime() - fetchStart) / 1e9;
        return Report.titled("Bulk export")
                .figure("Resources exported", Report.number(resources, 0))
                .figure("Files / NDJSON size", files + " / " + Report.number(bytes / 1e6, 1) + " MB")
                .figure("Kick-off to manifest", Report.number(toManifest, 2) + " s ("
                        + Report.number(resources / toManifest, 0) + " resources/s)")
                .figure("Fetching the files", Report.number(fetching, 2) + " s")
                .note("System-level $export" + (types.isEmpty() ? " of every type" : " of " + types)
                        + ", polled every 200 ms (" + polls + " polls); files fetched one after another.")
                .build();
    }
}
