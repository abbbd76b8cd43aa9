package org.charnwood.fhir.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.utilities.npm.NpmPackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The example instances of the UK Core package the repository ships, read from the classpath. */
final class UkCoreExamples {
    static final String PROFILES = "https://fhir.hl7.org.uk/StructureDefinition/";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final NpmPackage PACKAGE = load();

    private UkCoreExamples() {
    }

    static List<String> names() {
        try {
            return PACKAGE.list("example").stream().filter(name -> name.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The profile an example shows, going by its resource type: UKCore-Patient for a Patient. */
    static String profileFor(ObjectNode example) {
        return PROFILES + "UKCore-" + example.get("resourceType").asText();
    }

    /** The example as JSON text, claiming {@code profile} in meta.profile (the examples claim none). */
    static String claiming(String name, String profile) {
        ObjectNode example = json(name);
        example.withObject("meta").putArray("profile").add(profile);
        try {
            return JSON.writeValueAsString(example);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An example as JSON, without the {@code fhir_comments} the package's XML-to-JSON conversion left
     * where the XML sources had comments: R4 JSON cannot carry comments (our parser refuses them, as
     * HL7's validator does), and they are remarks about the example, not part of it.
     */
    static ObjectNode json(String name) {
        try (InputStream in = PACKAGE.load("example", name)) {
            return (ObjectNode) withoutComments(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode withoutComments(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("fhir_comments");
            for (String field : new ArrayList<>(object.properties().stream().map(Map.Entry::getKey).toList())) {
                JsonNode cleaned = withoutComments(object.get(field));
                if (cleaned == null) {
                    object.remove(field);
                } else {
                    object.set(field, cleaned);
                }
            }
            return object.isEmpty() ? null : object;
        }
        if (node instanceof ArrayNode array) {
            boolean anything = false;
            for (int i = 0; i < array.size(); i++) {
                JsonNode cleaned = withoutComments(array.get(i));
                array.set(i, cleaned == null ? NullNode.instance : cleaned);
                anything |= cleaned != null;
            }
            return anything ? array : null;
        }
        return node;
    }

    private static NpmPackage load() {
        try (InputStream in = UkCoreExamples.class.getResourceAsStream("/fhir-packages/fhir.r4.ukcore.stu2-2.0.2.tgz")) {
            return NpmPackage.fromPackage(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
