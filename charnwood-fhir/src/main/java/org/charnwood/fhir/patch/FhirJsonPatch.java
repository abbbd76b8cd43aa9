package org.charnwood.fhir.patch;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.ExactJson;
import org.charnwood.fhir.FhirException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * JSON Patch as the FHIR patch interaction uses it: applied to a resource's JSON, with the rule
 * that a patch may not change which resource it is ({@code resourceType} and {@code id}).
 */
public final class FhirJsonPatch {

    private FhirJsonPatch() {
    }

    /** Returns the patched resource JSON; the caller parses and validates it like any other body. */
    public static String apply(String resourceJson, JsonPatch patch) {
        JsonNode before;
        try {
            // The stored decimals as written, so those the patch leaves alone come out as they went in.
            before = ExactJson.readTree(JsonPatch.MAPPER, resourceJson);
        } catch (IOException e) {
            throw new IllegalStateException("stored resource JSON could not be read", e);
        }
        JsonNode after = patch.apply(before);
        requireUnchanged(before, after, "resourceType");
        requireUnchanged(before, after, "id");
        try {
            return JsonPatch.MAPPER.writeValueAsString(after);
        } catch (JacksonException e) {
            throw new IllegalStateException("patched JSON could not be written", e);
        }
    }

    /**
     * The reference strings a patch writes: a text value set at a path ending in {@code /reference},
     * and any text {@code reference} member inside a value (a whole Reference or larger).
     */
    public static Set<String> references(JsonPatch patch) {
        Set<String> found = new LinkedHashSet<>();
        for (PatchOperation operation : patch.operations()) {
            JsonNode value = valueOf(operation);
            if (value != null) {
                mapReferences(operation.path(), value, reference -> {
                    found.add(reference);
                    return reference;
                });
            }
        }
        return found;
    }

    /** The same patch with the reference strings {@link #references} finds replaced by the mapping. */
    public static JsonPatch withReferences(JsonPatch patch, UnaryOperator<String> mapping) {
        List<PatchOperation> operations = new ArrayList<>(patch.operations().size());
        for (PatchOperation operation : patch.operations()) {
            JsonNode value = valueOf(operation);
            if (value == null) {
                operations.add(operation);
                continue;
            }
            JsonNode mapped = mapReferences(operation.path(), value.deepCopy(), mapping);
            operations.add(switch (operation) {
                case PatchOperation.Add add -> new PatchOperation.Add(add.path(), mapped);
                case PatchOperation.Replace replace -> new PatchOperation.Replace(replace.path(), mapped);
                case PatchOperation.Test test -> new PatchOperation.Test(test.path(), mapped);
                default -> operation;
            });
        }
        return new JsonPatch(operations);
    }

    private static JsonNode valueOf(PatchOperation operation) {
        return switch (operation) {
            case PatchOperation.Add add -> add.value();
            case PatchOperation.Replace replace -> replace.value();
            case PatchOperation.Test test -> test.value();
            default -> null;
        };
    }

    /** Maps in place (the value is the caller's copy) and returns the value, which may be a new text node. */
    private static JsonNode mapReferences(JsonPointer path, JsonNode value, UnaryOperator<String> mapping) {
        if (value.isTextual()) {
            boolean isReference = !path.isRoot() && "reference".equals(path.last());
            return isReference ? TextNode.valueOf(mapping.apply(value.asText())) : value;
        }
        mapInside(value, mapping);
        return value;
    }

    private static void mapInside(JsonNode node, UnaryOperator<String> mapping) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                if ("reference".equals(member.getKey()) && member.getValue().isTextual()) {
                    // Replacing an existing member's value is not a structural change, so iteration continues.
                    object.set(member.getKey(), TextNode.valueOf(mapping.apply(member.getValue().asText())));
                } else {
                    mapInside(member.getValue(), mapping);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                mapInside(element, mapping);
            }
        }
    }

    private static void requireUnchanged(JsonNode before, JsonNode after, String member) {
        JsonNode was = before.get(member);
        JsonNode now = after.isObject() ? after.get(member) : null;
        if (now == null || !now.equals(was)) {
            String type = before.path("resourceType").asText();
            throw FhirException.unprocessable(ErrorCode.INVALID_PATCH,
                    "A patch may not change or remove the resource's " + member,
                    "id".equals(member) ? type + ".id" : type);
        }
    }
}
