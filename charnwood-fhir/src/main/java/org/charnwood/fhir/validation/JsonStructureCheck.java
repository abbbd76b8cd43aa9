package org.charnwood.fhir.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.ExactJson;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the shape of FHIR JSON against the R4 definitions before HAPI reads it. HAPI's parser is
 * forgiving in ways that lose or change data silently: it takes "true" for a boolean, a single
 * value for a list, drops empty arrays, nulls, {@code fhir_comments} and unexpected properties
 * beside primitives. The FHIR JSON format allows none of those, so they are refused here with the
 * path of each problem.
 */
public final class JsonStructureCheck {
    /*
     * Read as HAPI's own JSON reader does (exact decimals, nothing after the value), so that a tree
     * read here can be handed to HAPI instead of the text being read a second time. Text beyond this
     * reader's limits (an enormous string) goes to HAPI as text; text that is not JSON is refused.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> XML_ENTITIES = Set.of("lt", "gt", "amp", "quot", "apos");

    private final R4Definitions defs;

    /** Uses the process-wide compiled R4 definitions. */
    public JsonStructureCheck() {
        this(R4Definitions.shared());
    }

    JsonStructureCheck(R4Definitions defs) {
        this.defs = defs;
    }

    /**
     * The outcome of a check.
     *
     * @param issues every shape problem found; empty when there are none or when the text is not
     *               JSON at all (the parser reports syntax errors better)
     * @param body   the JSON to hand to the parser: the input, or an equivalent rewritten where
     *               HAPI cannot read a valid form (a {@code _given} list without {@code given})
     * @param tree   {@code body} already read, when it is a JSON object that HAPI's reader would
     *               read the same way; null when HAPI must read the text itself
     * @param syntax why the text is not JSON at all, or null when it is (or when only this reader's limits,
     *               which HAPI's reader does not share, refused it)
     */
    public record Outcome(List<OperationOutcomeIssueComponent> issues, String body, ObjectNode tree, String syntax) {

        public Outcome(List<OperationOutcomeIssueComponent> issues, String body, ObjectNode tree) {
            this(issues, body, tree, null);
        }

        public Outcome(List<OperationOutcomeIssueComponent> issues, String body) {
            this(issues, body, null, null);
        }
    }

    public Outcome check(String json) {
        Findings findings = new Findings();
        JsonNode root;
        try {
            root = ExactJson.readTree(JSON, json);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE,
                        message + ": a JSON object may not repeat a property", null);
            } else if (!(e instanceof StreamConstraintsException)) {
                // Not JSON (RFC 8259): HAPI's reader takes some of it (a number with a leading plus sign), and reads
                // it without any of the checks here, coercing "true" to a boolean and dropping nulls and empty lists.
                var at = e.getLocation();
                return new Outcome(List.of(), json, null, message + (at == null ? ""
                        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
            }
            return new Outcome(findings.issues(), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Walk walk = new Walk(findings);
        if (root instanceof ObjectNode object && object.get("resourceType") != null) {
            walk.resource(object, At.root(object.get("resourceType").asText()));
        }
        if (!walk.rewrites.isEmpty() && findings.issues().isEmpty()) {
            walk.rewrites.forEach(Runnable::run);
            try {
                return new Outcome(findings.issues(), JSON.writeValueAsString(root),
                        root instanceof ObjectNode object ? object : null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A parsed JSON tree can always be written", e);
            }
        }
        return new Outcome(findings.issues(), json, root instanceof ObjectNode object ? object : null);
    }

    /**
     * The paths of the elements named {@code name} (as JSON names them: {@code valueDateTime}) holding
     * {@code value} (any value when null), in document order: where a problem the parser reported by element
     * name alone is.
     */
    public List<String> paths(ObjectNode tree, String name, String value) {
        List<String> found = new ArrayList<>();
        JsonNode type = tree.get("resourceType");
        if (type != null && type.isTextual()) {
            locate(tree, defs.type(type.asText()), At.root(type.asText()), name, value, found);
        }
        return found;
    }

    private void locate(ObjectNode object, TypeRules rules, At path, String name, String value, List<String> found) {
        if (rules == null) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            TypeRules.JsonProperty property = rules.jsonProperties.get(key);
            if (property == null) {
                if (key.equals(name)) {
                    found.add(path.child(key).toString());
                }
                continue;
            }
            ElementRule rule = property.rule();
            At at = rule.choice() ? path.choice(rule.name, property.type()) : path.child(key);
            JsonNode v = field.getValue();
            int n = v.isArray() ? v.size() : 1;
            for (int i = 0; i < n; i++) {
                JsonNode item = v.isArray() ? v.get(i) : v;
                At itemAt = v.isArray() ? at.index(i) : at;
                if (key.equals(name) && (value == null || item.isValueNode() && value.equals(item.asText()))) {
                    found.add(itemAt.toString());
                }
                if (item instanceof ObjectNode child) {
                    JsonNode type = child.get("resourceType");
                    TypeRules childRules = rule.kind == ElementRule.Kind.RESOURCE
                            ? (type != null && type.isTextual() ? defs.type(type.asText()) : null)
                            : rule.backbone != null ? rule.backbone : defs.type(property.type());
                    locate(child, childRules, itemAt, name, value, found);
                }
            }
        }
    }

    /** One check's state: where problems go, and whether the tree had to be rewritten for HAPI. */
    static final String NESTED_CONTAINED = "Constraint failed: dom-2: a contained resource SHALL NOT contain"
            + " nested resources (list them all in the container's contained)";

    private final class Walk {
        private final Findings findings;
        private final List<Runnable> rewrites = new ArrayList<>();

        Walk(Findings findings) {
            this.findings = findings;
        }

        void resource(ObjectNode object, At path) {
            JsonNode type = object.get("resourceType");
            TypeRules rules = type == null || !type.isTextual() ? null : defs.type(type.asText());
            if (rules == null || !rules.resource) {
                return;
            }
            properties(object, rules, path, true);
        }

        private void properties(ObjectNode object, TypeRules rules, At path, boolean resource) {
            if (object.isEmpty()) {
                error("Object must have some content: leave the property out instead", path);
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (resource && "resourceType".equals(name)) {
                    continue;
                }
                if ("fhir_comments".equals(name)) {
                    error("Unrecognized property 'fhir_comments': R4 JSON cannot carry comments", path.child(name));
                    continue;
                }
                if (name.startsWith("_")) {
                    String base = name.substring(1);
                    TypeRules.JsonProperty property = rules.jsonProperties.get(base);
                    if (property != null && isPrimitive(property.type())) {
                        primitiveExtras(object, base, value, property, path.child(base));
                    }
                    continue;
                }
                TypeRules.JsonProperty property = rules.jsonProperties.get(name);
                if (property == null) {
                    // HAPI reports these too, but without saying where
                    error("Unknown element '" + name + "'", path.child(name));
                    continue;
                }
                ElementRule rule = property.rule();
                At at = rule.choice() ? path.choice(rule.name, property.type()) : path.child(name);
                if (rule.repeats()) {
                    if (!value.isArray()) {
                        error("The property " + name + " must be a JSON Array, not " + describe(value), at);
                    } else if (value.isEmpty()) {
                        error("Array cannot be empty - the property should not be present if it has no values", at);
                    } else {
                        for (int i = 0; i < value.size(); i++) {
                            item(value.get(i), property, at.index(i), object, name);
                        }
                    }
                } else if (value.isArray()) {
                    error("The property " + name + " must be a single value, not a JSON Array", at);
                } else {
                    item(value, property, at, object, name);
                }
            }
        }

        /** One value of the property {@code name} of {@code parent}. */
        private void item(JsonNode value, TypeRules.JsonProperty property, At at, ObjectNode parent, String name) {
            ElementRule rule = property.rule();
            String type = property.type();
            if (value.isNull()) {
                if (!isPrimitive(type) || !parent.has("_" + name)) {
                    error("A null value is only allowed in a list of primitives, to line up with its extensions", at);
                }
                return;
            }
            if (rule.kind == ElementRule.Kind.RESOURCE) {
                if (value instanceof ObjectNode object) {
                    if ("contained".equals(name) && object.has("contained")) {
                        // HAPI would lift the nested resources into the container: a silent rewrite of what was sent.
                        error(NESTED_CONTAINED, at.child("contained"));
                    }
                    resource(object, at);
                } else {
                    error("A resource must be a JSON Object, not " + describe(value), at);
                }
                return;
            }
            if (rule.kind == ElementRule.Kind.NARRATIVE_DIV) {
                if (value.isTextual()) {
                    entities(value.asText(), at);
                }
                return;
            }
            if (isPrimitive(type)) {
                primitive(value, type, at);
                return;
            }
            if (!(value instanceof ObjectNode object)) {
                error("The property must be a JSON Object, not " + describe(value), at);
                return;
            }
            TypeRules rules = rule.backbone != null ? rule.backbone : defs.type(type);
            if (rules != null) {
                properties(object, rules, at, false);
            }
        }

        private void primitive(JsonNode value, String type, At at) {
            String expected = switch (type) {
                case "boolean" -> value.isBoolean() ? null : "a boolean";
                case "integer", "positiveInt", "unsignedInt" -> value.isIntegralNumber() ? null : "an integer number";
                case "decimal" -> value.isNumber() ? null : "a number";
                default -> value.isTextual() ? null : "a string";
            };
            if (expected != null) {
                error("Error parsing JSON: the primitive value must be " + expected + ", not " + describe(value), at);
            } else if (value.isTextual() && value.asText().isEmpty()) {
                error("A value cannot be empty: leave the property out instead", at);
            }
        }

        /** The {@code _name} partner of a primitive: its id and extensions, lined up with the values. */
        private void primitiveExtras(ObjectNode parent, String name, JsonNode extras, TypeRules.JsonProperty property,
                                     At at) {
            if (!property.rule().repeats()) {
                elementExtras(extras, at);
                return;
            }
            if (!(extras instanceof ArrayNode array)) {
                error("The property _" + name + " must be a JSON Array, not " + describe(extras), at);
                return;
            }
            JsonNode values = parent.get(name);
            if (values == null) {
                // Valid FHIR JSON, but HAPI cannot read a _name list without its name list: give it
                // the list of nulls the extensions line up with (after the walk, which is iterating
                // over this object's properties).
                ArrayNode nulls = JSON.getNodeFactory().arrayNode(array.size());
                for (int i = 0; i < array.size(); i++) {
                    nulls.addNull();
                }
                rewrites.add(() -> parent.set(name, nulls));
                values = nulls;
            }
            if (values.isArray() && values.size() != array.size()) {
                error("The arrays for " + name + " and _" + name + " must be the same length (" + values.size()
                        + " values, " + array.size() + " extension entries)", at);
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = values.isArray() && i < values.size() ? values.get(i) : null;
                if (array.get(i).isNull()) {
                    if (value == null || value.isNull()) {
                        error("The JSON array for '" + name + "' is invalid at index " + i
                                + " - must have at least one valid value", at.index(i));
                    }
                } else {
                    elementExtras(array.get(i), at.index(i));
                }
            }
        }

        private void elementExtras(JsonNode extras, At at) {
            if (!(extras instanceof ObjectNode object)) {
                error("The extensions of a primitive must be a JSON Object, not " + describe(extras), at);
                return;
            }
            Iterator<String> names = object.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!"id".equals(name) && !"extension".equals(name)) {
                    error("The property '" + name + "' is invalid beside a primitive value: only id and extension "
                            + "may appear there", at);
                }
            }
            // Extension's rules cover id and extension, the only properties allowed here (checked above).
            properties(object, defs.type("Extension"), at, false);
        }

        /** FHIR XHTML is XML: HTML's named entities such as {@code &reg;} are not declared in it. */
        private void entities(String xhtml, At at) {
            int amp = xhtml.indexOf('&');
            while (amp >= 0) {
                int end = amp + 1;
                while (end < xhtml.length() && Character.isLetterOrDigit(xhtml.charAt(end))) {
                    end++;
                }
                if (end > amp + 1 && end < xhtml.length() && xhtml.charAt(end) == ';'
                        && !XML_ENTITIES.contains(xhtml.substring(amp + 1, end))) {
                    error("Invalid entity in the XHTML ('" + xhtml.substring(amp, end + 1) + "'): only the XML "
                            + "entities and numeric character references may be used", at);
                }
                amp = xhtml.indexOf('&', amp + 1);
            }
        }

        private void error(String message, At at) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, message, at.toString());
        }
    }

    private static boolean isPrimitive(String type) {
        return type != null && !type.isEmpty()
                && (Character.isLowerCase(type.charAt(0)) || type.startsWith("http://hl7.org/fhirpath/"));
    }

    private static String describe(JsonNode value) {
        if (value.isArray()) {
            return "an Array";
        }
        if (value.isObject()) {
            return "an Object";
        }
        if (value.isNull()) {
            return "null";
        }
        return "a primitive (" + value.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
    }
}
