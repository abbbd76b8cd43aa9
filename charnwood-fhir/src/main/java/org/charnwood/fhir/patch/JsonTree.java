package org.charnwood.fhir.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

/** The pointer-addressed reads and edits the patch operations are built from, on a mutable Jackson tree. */
final class JsonTree {

    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]*");

    private JsonTree() {
    }

    static JsonNode get(JsonNode root, JsonPointer pointer) {
        JsonNode node = root;
        for (int i = 0; i < pointer.tokens().size(); i++) {
            String token = pointer.tokens().get(i);
            if (node instanceof ObjectNode object) {
                node = object.get(token);
            } else if (node instanceof ArrayNode array) {
                int index = index(token, pointer);
                node = index < array.size() ? array.get(index) : null;
            } else {
                node = null;
            }
            if (node == null) {
                throw new PatchConflict("there is no value at " + pointer);
            }
        }
        return node;
    }

    /** Adds (or, for an existing object member, replaces) and returns the document's new root. */
    static JsonNode add(JsonNode root, JsonPointer pointer, JsonNode value) {
        if (pointer.isRoot()) {
            return value;
        }
        JsonNode parent = parentOf(root, pointer);
        if (parent instanceof ObjectNode object) {
            object.set(pointer.last(), value);
        } else if (parent instanceof ArrayNode array) {
            int index = "-".equals(pointer.last()) ? array.size() : index(pointer.last(), pointer);
            if (index > array.size()) {
                throw new PatchConflict(pointer + " is beyond the end of an array of " + array.size());
            }
            array.insert(index, value);
        } else {
            throw new PatchConflict("the parent of " + pointer + " is not an object or an array");
        }
        return root;
    }

    /** Removes the value at a non-root pointer and returns it. */
    static JsonNode remove(JsonNode root, JsonPointer pointer) {
        if (pointer.isRoot()) {
            throw new PatchConflict("the whole document cannot be removed");
        }
        JsonNode parent = parentOf(root, pointer);
        JsonNode removed = null;
        if (parent instanceof ObjectNode object) {
            removed = object.remove(pointer.last());
        } else if (parent instanceof ArrayNode array) {
            int index = index(pointer.last(), pointer);
            removed = index < array.size() ? array.remove(index) : null;
        }
        if (removed == null) {
            throw new PatchConflict("there is no value at " + pointer);
        }
        return removed;
    }

    /** Replaces an existing value and returns the document's new root. */
    static JsonNode replace(JsonNode root, JsonPointer pointer, JsonNode value) {
        get(root, pointer);
        if (pointer.isRoot()) {
            return value;
        }
        JsonNode parent = parentOf(root, pointer);
        if (parent instanceof ObjectNode object) {
            object.set(pointer.last(), value);
        } else {
            ((ArrayNode) parent).set(index(pointer.last(), pointer), value);
        }
        return root;
    }

    /**
     * JSON equality as RFC 6902's test defines it: numbers by numeric value (1 equals 1.0), object
     * members in any order, arrays element by element, everything else by type and value.
     */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> member : a.properties()) {
                JsonNode other = b.get(member.getKey());
                if (other == null || !same(member.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static BigDecimal decimal(JsonNode number) {
        return number.isBigDecimal() || number.isFloatingPointNumber()
                ? number.decimalValue() : new BigDecimal(number.bigIntegerValue());
    }

    private static JsonNode parentOf(JsonNode root, JsonPointer pointer) {
        try {
            return get(root, pointer.parent());
        } catch (PatchConflict e) {
            throw new PatchConflict("there is no value at " + pointer.parent() + " to hold " + pointer);
        }
    }

    private static int index(String token, JsonPointer pointer) {
        if ("-".equals(token)) {
            throw new PatchConflict("'-' in " + pointer + " names the position after the last element,"
                    + " which only an add can use");
        }
        if (!INDEX.matcher(token).matches()) {
            throw new PatchConflict("'" + token + "' in " + pointer + " is not an array index");
        }
        // Anything longer than nine digits is past the end of any array we could hold.
        return token.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(token);
    }
}
