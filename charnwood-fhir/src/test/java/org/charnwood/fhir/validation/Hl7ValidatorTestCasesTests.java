package org.charnwood.fhir.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.ResourceParser;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * HL7's own validator test cases for base R4 (see {@code fhir-test-cases/PROVENANCE.md}): every case
 * HL7 expects to be valid must be parsed and validated without errors, and every case it expects to
 * be invalid must be refused, by the parser or the validator, for the problem the case was written
 * to show ({@code validation/hl7-case-problems.tsv}).
 */
class Hl7ValidatorTestCasesTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceParser PARSER = new ResourceParser();
    private static final RepositoryValidator VALIDATOR = new RepositoryValidator(ValidationSettings.defaults());

    record Case(String file, boolean valid, String problem) {
        @Override
        public String toString() {
            return (valid ? "valid " : "invalid ") + file;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        Map<String, String> problems = table("/validation/hl7-case-problems.tsv");
        Map<String, String> excluded = table("/validation/hl7-case-exclusions.tsv");
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(read("/fhir-test-cases/cases.json"))) {
            String file = entry.get("file").asText();
            if (!excluded.containsKey(file)) {
                boolean valid = entry.get("errorCount").asInt() == 0;
                cases.add(Arguments.of(new Case(file, valid, problems.get(file))));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseIsAcceptedOrRefusedAsHl7Expects(Case c) throws IOException {
        FhirFormat format = c.file().endsWith(".json") ? FhirFormat.JSON : FhirFormat.XML;
        // Decoded the way a server decodes a request body; one case is deliberately not UTF-8.
        String body = new String(bytes("/fhir-test-cases/" + c.file()), StandardCharsets.UTF_8);
        List<OperationOutcomeIssueComponent> errors;
        try {
            Resource resource = PARSER.parse(body, format);
            errors = BaseR4ValidatorTests.errors(VALIDATOR.validate(resource));
        } catch (FhirException refused) {
            if (c.valid()) {
                fail("The valid case was refused by the parser: " + describe(refused.outcome().getIssue()));
            }
            assertThat(refused.status()).isBetween(400, 499);
            errors = refused.outcome().getIssue();
        }
        if (c.valid()) {
            assertThat(errors).as(describe(errors)).isEmpty();
        } else {
            assertThat(errors).as("an invalid case must be refused").isNotEmpty();
            assertThat(describe(errors)).as("the refusal must name the problem").contains(c.problem());
        }
    }

    @Test
    void everyInvalidCaseSaysWhichProblemItMustBeRefusedFor() throws IOException {
        Map<String, String> problems = table("/validation/hl7-case-problems.tsv");
        List<String> invalid = new ArrayList<>();
        int all = 0;
        for (JsonNode entry : JSON.readTree(read("/fhir-test-cases/cases.json"))) {
            all++;
            if (entry.get("errorCount").asInt() > 0) {
                invalid.add(entry.get("file").asText());
            }
        }
        assertThat(all).isEqualTo(173);
        assertThat(problems.keySet()).containsExactlyInAnyOrderElementsOf(invalid);
    }

    private static String describe(List<OperationOutcomeIssueComponent> issues) {
        StringBuilder sb = new StringBuilder();
        for (OperationOutcomeIssueComponent issue : issues) {
            sb.append('\n').append(issue.getSeverity()).append(' ')
                    .append(issue.getExpression().stream().map(StringType::getValue).toList()).append(' ')
                    .append(issue.getDiagnostics());
        }
        return sb.toString();
    }

    /** A two-column tab-separated file, with # comments. */
    private static Map<String, String> table(String resource) throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : read(resource).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", 2);
            rows.put(cells[0], cells.length > 1 ? cells[1].strip() : "");
        }
        return rows;
    }

    private static String read(String resource) throws IOException {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = Hl7ValidatorTestCasesTests.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("No test resource " + resource);
            }
            return in.readAllBytes();
        }
    }
}
