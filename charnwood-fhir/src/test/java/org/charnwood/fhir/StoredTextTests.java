package org.charnwood.fhir;

import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StoredTextTests {

    @Test
    void storedTextIsExactlyWhatHapisEncoderWritesForEveryJsonTestResourceAndUkCoreExample() throws Exception {
        List<Resource> resources = new ArrayList<>();
        Path folder = Path.of(StoredTextTests.class.getResource("/fhir-test-cases").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    resources.add((Resource) FhirContexts.r4().newJsonParser().parseResource(in));
                } catch (Exception notAResource) {
                    // some test cases are deliberately broken JSON
                }
            }
        }
        try (InputStream in = StoredTextTests.class.getResourceAsStream("/fhir-packages/fhir.r4.ukcore.stu2-2.0.2.tgz")) {
            NpmPackage ukCore = NpmPackage.fromPackage(in);
            for (String name : ukCore.list("example")) {
                if (name.endsWith(".json") && !name.startsWith(".")) {
                    try (InputStream example = ukCore.load("example", name)) {
                        resources.add((Resource) FhirContexts.r4().newJsonParser().parseResource(example));
                    }
                }
            }
        }

        for (Resource resource : resources) {
            String expected = FhirContexts.r4().newJsonParser().encodeResourceToString(
                    resource instanceof org.hl7.fhir.r4.model.Bundle ? resource.copy() : resource);
            assertThat(WriteSession.encode(resource)).as(resource.fhirType() + "/" + resource.getIdPart())
                    .isEqualTo(expected);
        }
        assertThat(resources).hasSizeGreaterThan(200);
    }
}
