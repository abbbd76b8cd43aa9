package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonWriterTests {

    private static final TrustShape TRUST = new TrustShapeGenerator().generate();

    @Test
    void writesOneFilePerTypeWhoseReferencesAllResolve(@TempDir Path dir) throws Exception {
        NdjsonExport export = new NdjsonWriter(TRUST).writeNdjson(dir, 200, 11);
        IParser parser = FhirContexts.r4().newJsonParser();
        Set<String> ids = new HashSet<>();
        List<Resource> all = new ArrayList<>();
        for (String type : export.resourceCounts().keySet()) {
            List<String> lines = Files.readAllLines(export.file(type));
            assertThat((long) lines.size()).isEqualTo(export.resourceCounts().get(type));
            for (String line : lines) {
                Resource resource = (Resource) parser.parseResource(line);
                assertThat(resource.fhirType()).isEqualTo(type);
                assertThat(ids.add(type + "/" + resource.getIdElement().getIdPart())).isTrue();
                all.add(resource);
            }
        }
        assertThat(export.resourceCounts().get("Patient")).isEqualTo(200L);
        for (Resource resource : all) {
            for (String reference : References.literal(resource)) {
                assertThat(ids).as(resource.fhirType() + " -> " + reference).contains(reference);
            }
        }
    }

    @Test
    void writesTheSameBytesForTheSameSeed(@TempDir Path first, @TempDir Path second) throws Exception {
        new NdjsonWriter(TRUST).writeNdjson(first, 300, 5);
        new NdjsonWriter(TRUST).writeNdjson(second, 300, 5);
        for (String type : List.of("Patient", "Encounter", "Observation", "Location")) {
            assertThat(Files.readString(second.resolve(type + ".ndjson")))
                    .isEqualTo(Files.readString(first.resolve(type + ".ndjson")));
        }
    }
}
