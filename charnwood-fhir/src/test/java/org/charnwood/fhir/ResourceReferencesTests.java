package org.charnwood.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceReferencesTests {

    @Test
    void findsTheSameReferencesInTheSameOrderAsHapisTerserForEveryTestCase() throws Exception {
        int compared = 0;
        for (Resource resource : testCases()) {
            List<Reference> expected = FhirContexts.r4().newTerser()
                    .getAllPopulatedChildElementsOfType(resource, Reference.class);
            List<Reference> actual = ResourceReferences.of(resource);
            assertThat(actual).as(resource.fhirType()).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).isSameAs(expected.get(i));
            }
            compared += expected.size();
        }
        assertThat(compared).isGreaterThan(40);
    }

    @Test
    void followsAReferenceIntoALinkedBundleEntryWithoutAnIdAsTheTerserDoes() {
        Patient patient = new Patient();
        patient.addGeneralPractitioner(new Reference("Organization/gp"));
        Observation observation = new Observation();
        Reference subject = new Reference("urn:uuid:1");
        subject.setResource(patient);
        observation.setSubject(subject);

        assertThat(ResourceReferences.of(observation)).extracting(Reference::getReference)
                .containsExactly("urn:uuid:1", "Organization/gp");
    }

    @Test
    void leavesLinkedResourcesOutWhenAskedOnlyForTheResourcesOwnReferences() {
        Patient patient = new Patient();
        patient.addGeneralPractitioner(new Reference("Organization/gp"));
        Observation observation = new Observation();
        Reference subject = new Reference("urn:uuid:1");
        subject.setResource(patient);
        observation.setSubject(subject);
        observation.addContained(new Patient().addGeneralPractitioner(new Reference("Organization/other")).setId("p"));

        assertThat(ResourceReferences.ownedBy(observation)).extracting(Reference::getReference)
                .containsExactly("Organization/other", "urn:uuid:1");
    }

    @Test
    void findsReferencesInExtensionsOfPrimitiveValuesInDocumentOrder() {
        Patient patient = (Patient) FhirContexts.r4().newJsonParser().parseResource("""
                {"resourceType":"Patient","contained":[{"resourceType":"Practitioner","id":"p",
                   "_active":{"extension":[{"url":"https://example.org/a","valueReference":{"reference":"Organization/c"}}]}}],
                 "name":[{"_family":{"extension":[{"url":"https://example.org/n","extension":[
                   {"url":"by","valueReference":{"reference":"Practitioner/n"}}]}]}}],
                 "_birthDate":{"extension":[{"url":"https://example.org/b","valueReference":{"reference":"Practitioner/b"}}]},
                 "generalPractitioner":[{"reference":"Organization/gp"}]}""");

        assertThat(ResourceReferences.ownedBy(patient)).extracting(Reference::getReference)
                .containsExactly("Organization/c", "Practitioner/n", "Practitioner/b", "Organization/gp");
        assertThat(ResourceReferences.of(patient)).extracting(Reference::getReference)
                .containsExactly("Organization/c", "Practitioner/n", "Practitioner/b", "Organization/gp");
    }

    @Test
    void findsNothingInAnEmptyResource() {
        assertThat(ResourceReferences.of(new Bundle())).isEmpty();
    }

    @Test
    void findsTheSameReferencesInTheSameOrderAsHapisTerserForEveryUkCoreExample() throws Exception {
        int compared = 0;
        for (Resource resource : ukCoreExamples()) {
            List<Reference> expected = FhirContexts.r4().newTerser()
                    .getAllPopulatedChildElementsOfType(resource, Reference.class);
            List<Reference> actual = ResourceReferences.of(resource);
            assertThat(actual).as(resource.fhirType() + "/" + resource.getIdPart()).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).isSameAs(expected.get(i));
            }
            compared += expected.size();
        }
        assertThat(compared).isGreaterThan(100);
    }

    private static List<Resource> testCases() throws IOException, URISyntaxException {
        Path folder = Path.of(ResourceReferencesTests.class.getResource("/fhir-test-cases").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(ResourceReferencesTests::parse)
                    .filter(r -> r != null).toList();
        }
    }

    /** The examples of the UK Core package the repository validates against. */
    private static List<Resource> ukCoreExamples() throws IOException {
        try (InputStream in = ResourceReferencesTests.class
                .getResourceAsStream("/fhir-packages/fhir.r4.ukcore.stu2-2.0.2.tgz")) {
            NpmPackage ukCore = NpmPackage.fromPackage(in);
            List<Resource> examples = new ArrayList<>();
            for (String name : ukCore.list("example")) {
                if (name.endsWith(".json") && !name.startsWith(".")) {
                    try (InputStream example = ukCore.load("example", name)) {
                        examples.add((Resource) FhirContexts.r4().newJsonParser().parseResource(example));
                    }
                }
            }
            assertThat(examples).hasSizeGreaterThan(100);
            return examples;
        }
    }

    private static Resource parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (Resource) FhirContexts.r4().newJsonParser().parseResource(in);
        } catch (Exception notAResource) {
            return null;
        }
    }
}
