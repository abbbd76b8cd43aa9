package org.charnwood.fhir.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** One RFC 6902 operation. Each applies to a mutable document and returns its (possibly new) root. */
public sealed interface PatchOperation {

    /** The location the operation acts on. */
    JsonPointer path();

    JsonNode applyTo(JsonNode document);

    /** Short form for messages, for example {@code replace /name/0/family}. */
    String describe();

    record Add(JsonPointer path, JsonNode value) implements PatchOperation {
        @Override
        public JsonNode applyTo(JsonNode document) {
            return JsonTree.add(document, path, value.deepCopy());
        }

        @Override
        public String describe() {
            return "add " + path;
        }
    }

    record Remove(JsonPointer path) implements PatchOperation {
        @Override
        public JsonNode applyTo(JsonNode document) {
            JsonTree.remove(document, path);
            return document;
        }

        @Override
        public String describe() {
            return "remove " + path;
        }
    }

    record Replace(JsonPointer path, JsonNode value) implements PatchOperation {
        @Override
        public JsonNode applyTo(JsonNode document) {
            return JsonTree.replace(document, path, value.deepCopy());
        }

        @Override
        public String describe() {
            return "replace " + path;
        }
    }

    record Move(JsonPointer from, JsonPointer path) implements PatchOperation {
        @Override
        public JsonNode applyTo(JsonNode document) {
            if (from.isProperPrefixOf(path)) {
                throw new PatchConflict("a value cannot be moved into one of its own children");
            }
            if (from.equals(path)) {
                JsonTree.get(document, from);
                return document;
            }
            // RFC 6902: the same as removing at "from" and then adding at "path".
            JsonNode value = JsonTree.remove(document, from);
            return JsonTree.add(document, path, value);
        }

        @Override
        public String describe() {
            return "move " + from + " to " + path;
        }
    }

    record Copy(JsonPointer from, JsonPointer path) implements PatchOperation {
        @Override
        public JsonNode applyTo(JsonNode document) {
            return JsonTree.add(document, path, JsonTree.get(document, from).deepCopy());
        }

        @Override
        public String describe() {
            return "copy " + from + " to " + path;
        }
    }

    record Test(JsonPointer path, JsonNode value) implements PatchOperation {
        @Override
        public JsonNode applyTo(JsonNode document) {
            if (!JsonTree.same(JsonTree.get(document, path), value)) {
                throw new PatchConflict("the value at " + path + " is not the value the test expects");
            }
            return document;
        }

        @Override
        public String describe() {
            return "test " + path;
        }
    }
}
