package org.charnwood.fhir.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.fhir.validation.BaseR4ValidatorTests.errors;

/**
 * The compiled profile rules must refuse exactly the resources HAPI's instance validator refuses:
 * every UK Core example, a fixed sample of generated demo resources, and broken variants of both.
 * As on write, resources that base R4 already refuses are left out (profiles are not checked for
 * them). Any disagreement must be listed here with its reason, and in docs/validation.md.
 */
class ProfileDifferentialTests {
    /** Case name to the reason the two validators may disagree on it; see docs/validation.md. */
    private static final Map<String, String> KNOWN_DISAGREEMENTS = Map.of();
    private static final Logger log = LoggerFactory.getLogger(ProfileDifferentialTests.class);
    private static final long SEED = 20250630L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProfileValidator hapi;
    private static CompiledProfileValidator compiled;
    private final BaseR4Validator base = new BaseR4Validator();
    private final ResourceParser parser = new ResourceParser();

    @BeforeAll
    static void loadValidators() {
        hapi = ProfileValidator.ukCore();
        compiled = CompiledProfileValidator.ukCore();
    }

    @Test
    void agreesWithHapiOnEveryUkCoreExample() {
        Tally tally = new Tally();
        examples().forEach((name, json) -> compare(name, json, tally));

        log.info("UK Core examples: {}", tally.describe());
        assertThat(tally.compared).isGreaterThan(130);
        assertThat(tally.disagreements).as(tally.describe()).isEqualTo(known(tally));
    }

    @Test
    void agreesWithHapiOnGeneratedDemoResources() {
        Tally tally = new Tally();
        demoSample().forEach((name, json) -> compare(name, json, tally));

        log.info("Demo resources: {}", tally.describe());
        assertThat(tally.compared).isGreaterThan(300);
        assertThat(tally.disagreements).as(tally.describe()).isEqualTo(known(tally));
    }

    @Test
    void agreesWithHapiOnBrokenVariantsOfExamplesAndDemoResources() {
        Map<String, ObjectNode> sources = new LinkedHashMap<>(examples());
        sources.putAll(demoSample());
        BrokenVariants variants = new BrokenVariants(SEED);
        Tally tally = new Tally();
        sources.forEach((name, json) -> {
            BrokenVariants.Variant variant = variants.of(name, json);
            if (variant != null) {
                compare(variant.name(), variant.resource(), tally);
            }
        });

        log.info("Broken variants: {}", tally.describe());
        // Enough of the variants must get past base R4 and break a profile for the comparison to mean something.
        assertThat(tally.compared).isGreaterThan(300);
        assertThat(tally.bothRefused).isGreaterThan(100);
        assertThat(tally.disagreements).as(tally.describe()).isEqualTo(known(tally));
    }

    private void compare(String name, ObjectNode json, Tally tally) {
        Resource resource;
        try {
            resource = parser.parse(JSON.writeValueAsString(json), FhirFormat.JSON);
        } catch (FhirException | IOException e) {
            return; // a change the parser refuses never reaches validation
        }
        if (!errors(base.validate(resource)).isEmpty()) {
            return;
        }
        List<OperationOutcomeIssueComponent> fromCompiled = errors(compiled.validate(resource, List.of()));
        List<OperationOutcomeIssueComponent> fromHapi = errors(hapi.validate(resource, List.of()));
        tally.compared++;
        if (fromCompiled.isEmpty() != fromHapi.isEmpty()) {
            tally.disagreements.put(name, "compiled: " + describe(fromCompiled) + "\n    HAPI: " + describe(fromHapi));
        } else if (!fromCompiled.isEmpty()) {
            tally.bothRefused++;
        }
    }

    private static Map<String, String> known(Tally tally) {
        Map<String, String> expected = new LinkedHashMap<>();
        tally.disagreements.keySet().stream().filter(KNOWN_DISAGREEMENTS::containsKey)
                .forEach(name -> expected.put(name, tally.disagreements.get(name)));
        return expected;
    }

    private static String describe(List<OperationOutcomeIssueComponent> issues) {
        List<String> lines = new ArrayList<>();
        for (OperationOutcomeIssueComponent issue : issues) {
            lines.add(issue.getExpression().stream().map(StringType::getValue).toList() + " " + issue.getDiagnostics());
        }
        return lines.isEmpty() ? "accepted" : String.join("; ", lines);
    }

    private static final class Tally {
        int compared;
        int bothRefused;
        final Map<String, String> disagreements = new LinkedHashMap<>();

        String describe() {
            StringBuilder sb = new StringBuilder("compared " + compared + ", refused by both " + bothRefused);
            disagreements.forEach((name, why) -> sb.append("\n  ").append(name).append("\n    ").append(why));
            return sb.toString();
        }
    }

    /** Each UK Core example claiming the profile it shows (where UK Core has one for its type). */
    static Map<String, ObjectNode> examples() {
        Map<String, ObjectNode> found = new LinkedHashMap<>();
        for (String name : UkCoreExamples.names()) {
            ObjectNode example = UkCoreExamples.json(name);
            String profile = UkCoreExamples.profileFor(example);
            if (CompiledProfileValidator.ukCore().knows(profile)) {
                example.withObject("meta").putArray("profile").add(profile);
            }
            found.put(name, example);
        }
        return found;
    }

    /** The generated demo resources kept as test data (see src/test/resources/validation/README.md). */
    static Map<String, ObjectNode> demoSample() {
        Map<String, ObjectNode> found = new LinkedHashMap<>();
        try {
            String text = BaseR4ValidatorTests.read("/validation/demo-sample.ndjson");
            int line = 0;
            for (String json : text.split("\n")) {
                if (!json.isBlank()) {
                    ObjectNode resource = (ObjectNode) JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
                    found.put("demo-sample.ndjson#" + line++ + " " + resource.path("resourceType").asText(), resource);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
