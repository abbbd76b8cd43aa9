package org.charnwood.fhir.patch;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.ExactJson;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6902 JSON Patch: a list of operations applied in order, all or nothing. A document that
 * is not a valid patch is refused with 400; a valid patch that cannot be applied to the document
 * (a missing path, a failed {@code test}) with 422, naming the operation.
 */
public final class JsonPatch {

    /**
     * Decimals are read as BigDecimal with their trailing zeros kept: FHIR treats 1.50 and 1.5 as
     * different precisions, so a patch must not quietly turn one into the other.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final List<PatchOperation> operations;

    public JsonPatch(List<PatchOperation> operations) {
        this.operations = List.copyOf(operations);
    }

    /** Reads a patch document. */
    public static JsonPatch parse(String text) {
        if (text == null || text.isBlank()) {
            throw malformed("The patch is empty; a JSON Patch is an array of operations");
        }
        JsonNode document;
        try {
            // A value's decimals as written, so an added 2.10e3 keeps its three significant figures.
            document = ExactJson.readTree(MAPPER, text);
        } catch (JacksonException e) {
            throw malformed("The patch is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(document);
    }

    /** Reads a patch already parsed as JSON. */
    public static JsonPatch of(JsonNode document) {
        if (document == null || !document.isArray()) {
            throw malformed("A JSON Patch must be an array of operations");
        }
        List<PatchOperation> operations = new ArrayList<>(document.size());
        for (int i = 0; i < document.size(); i++) {
            operations.add(operation(i, document.get(i)));
        }
        return new JsonPatch(operations);
    }

    public List<PatchOperation> operations() {
        return operations;
    }

    /** Applies every operation to a copy of the document and returns the result; the input is not changed. */
    public JsonNode apply(JsonNode document) {
        JsonNode result = document.deepCopy();
        for (int i = 0; i < operations.size(); i++) {
            PatchOperation operation = operations.get(i);
            try {
                result = operation.applyTo(result);
            } catch (PatchConflict e) {
                throw FhirException.of(422, ErrorCode.INVALID_PATCH, IssueType.PROCESSING,
                        "Patch operation " + i + " (" + operation.describe() + ") cannot be applied: "
                                + e.getMessage());
            }
        }
        return result;
    }

    private static PatchOperation operation(int index, JsonNode node) {
        if (!node.isObject()) {
            throw malformed("Patch operation " + index + " is not a JSON object");
        }
        JsonNode op = node.get("op");
        if (op == null || !op.isTextual()) {
            throw malformed("Patch operation " + index + " has no \"op\"");
        }
        JsonPointer path = pointer(index, node, "path");
        return switch (op.asText()) {
            case "add" -> new PatchOperation.Add(path, value(index, node));
            case "remove" -> new PatchOperation.Remove(path);
            case "replace" -> new PatchOperation.Replace(path, value(index, node));
            case "move" -> new PatchOperation.Move(pointer(index, node, "from"), path);
            case "copy" -> new PatchOperation.Copy(pointer(index, node, "from"), path);
            case "test" -> new PatchOperation.Test(path, value(index, node));
            default -> throw malformed("Patch operation " + index + " has the unknown op \"" + op.asText()
                    + "\"; expected add, remove, replace, move, copy or test");
        };
    }

    private static JsonPointer pointer(int index, JsonNode node, String member) {
        JsonNode text = node.get(member);
        if (text == null || !text.isTextual()) {
            throw malformed("Patch operation " + index + " (" + node.get("op").asText() + ") needs a \""
                    + member + "\" string");
        }
        JsonPointer pointer = JsonPointer.parseOrNull(text.asText());
        if (pointer == null) {
            throw malformed("Patch operation " + index + " has \"" + member + "\": \"" + text.asText()
                    + "\", which is not a JSON Pointer (it must be empty or start with '/', and '~' must be"
                    + " followed by 0 or 1)");
        }
        return pointer;
    }

    private static JsonNode value(int index, JsonNode node) {
        // An explicit JSON null is a value; only a missing member is an error.
        if (!node.has("value")) {
            throw malformed("Patch operation " + index + " (" + node.get("op").asText() + ") needs a \"value\"");
        }
        return node.get("value");
    }

    private static FhirException malformed(String message) {
        return FhirException.of(400, ErrorCode.INVALID_PATCH, IssueType.INVALID, message);
    }
}
