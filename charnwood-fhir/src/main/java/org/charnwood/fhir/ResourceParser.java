package org.charnwood.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.databind.JsonNode;
import org.charnwood.fhir.validation.JsonStructureCheck;
import org.charnwood.fhir.validation.XmlStructureCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses request bodies strictly: syntax errors are 400, and content the R4 model does not know
 * (unknown elements, wrong JSON types, bad primitive values) is 422 with every problem listed.
 * A lenient parser would silently drop such content, and we would store less than was sent.
 */
public final class ResourceParser {

    private static final Set<String> XML_ENTITIES = Set.of("lt", "gt", "amp", "quot", "apos");
    private static final Pattern ENTRY_RESOURCE = Pattern.compile("Bundle\\.entry\\[(\\d+)]\\.resource\\b");

    private final JsonStructureCheck jsonShape;
    private final XmlStructureCheck xmlShape;

    public ResourceParser() {
        this(new JsonStructureCheck(), new XmlStructureCheck());
    }

    public ResourceParser(JsonStructureCheck jsonShape, XmlStructureCheck xmlShape) {
        this.jsonShape = jsonShape;
        this.xmlShape = xmlShape;
    }

    public Resource parse(String body, FhirFormat format) {
        if (body == null || body.isBlank()) {
            throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The request has no body");
        }
        // A byte order mark is legal at the start of a JSON or XML text; HAPI's parsers choke on it.
        if (body.charAt(0) == '\uFEFF') {
            body = body.substring(1);
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree = null;
        if (format == FhirFormat.JSON) {
            // HAPI's JSON parser silently accepts (and then drops or coerces) several things the
            // FHIR JSON format forbids, so the shape is checked against the definitions first.
            JsonStructureCheck.Outcome shape = jsonShape.check(body);
            if (shape.syntax() != null) {
                throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The JSON body could not be parsed: "
                        + shape.syntax());
            }
            refuseUnpairedSurrogates(shape.tree(), body);
            if (!shape.issues().isEmpty()) {
                throw FhirException.unprocessable(shape.issues());
            }
            body = shape.body();
            tree = shape.tree();
        } else {
            refuseUndeclaredEntities(body);
            // HAPI's XML parser drops text content, foreign elements and order mistakes without a word.
            List<OperationOutcomeIssueComponent> shape = xmlShape.check(body);
            if (!shape.isEmpty()) {
                throw FhirException.unprocessable(shape);
            }
        }
        CollectingHandler handler = new CollectingHandler();
        IParser parser = format.newParser().setParserErrorHandler(handler);
        // Keep each bundle entry's own id (or none): HAPI would otherwise overwrite it with the
        // entry's fullUrl, and a stored document would then differ from what was sent.
        parser.setOverrideResourceIdWithBundleEntryFullUrl(false);
        IBaseResource parsed;
        try {
            if (tree != null) {
                // The shape check has read the text already, as HAPI's reader would: reuse it.
                // doParseResource is what parseResource(String) ends in; HAPI's parseResource of
                // a structure would also copy each bundle entry's fullUrl into its resource's id.
                JacksonStructure structure = new JacksonStructure();
                structure.setNativeObject(tree);
                parsed = ((ca.uhn.fhir.parser.JsonParser) parser).doParseResource(null, structure);
            } else {
                parsed = parser.parseResource(body);
            }
        } catch (DataFormatException e) {
            throw malformed(e.getMessage(), format, handler.located(paths(body, tree)));
        } catch (RuntimeException e) {
            throw malformed(String.valueOf(e.getMessage()), format, handler.located(paths(body, tree)));
        }
        if (!handler.issues.isEmpty()) {
            throw FhirException.unprocessable(handler.located(paths(body, tree)));
        }
        if (!(parsed instanceof Resource resource)) {
            throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The body is not an R4 resource");
        }
        return resource;
    }

    /**
     * A transaction or batch body: the bundle, and the batch entries whose resources could not be read, each with
     * its own refusal (its issues' expressions point into the entry, {@code Bundle.entry[1].resource.gender}).
     */
    public record BundleBody(Resource resource, Map<Integer, FhirException> refusedEntries) {
    }

    /**
     * Parses a transaction or batch body. A batch's entries are independent (R4 http.html, "Batch Processing
     * Rules"), so a resource that cannot be read fails its own entry and not the batch: while every problem
     * found lies inside entry resources, those resources are taken out and the rest is read again, as strictly;
     * the entries are then refused on their own, without a resource. A transaction is all or nothing, so any
     * problem refuses it, with expressions naming the entry at fault.
     */
    public BundleBody parseBundle(String body, FhirFormat format) {
        Map<Integer, FhirException> refusedEntries = new TreeMap<>();
        String remaining = body;
        while (true) {
            try {
                return new BundleBody(parse(remaining, format), refusedEntries);
            } catch (FhirException refused) {
                Map<Integer, List<OperationOutcomeIssueComponent>> byEntry = refused.status() == 422
                        ? byEntry(refused) : null;
                if (byEntry == null || byEntry.isEmpty() || byEntry.keySet().stream().anyMatch(refusedEntries::containsKey)) {
                    throw refused;
                }
                String without = BatchEntries.withoutResources(remaining, format, byEntry.keySet());
                if (without == null) {
                    throw refused; // not a batch, or not one these entries are in
                }
                byEntry.forEach((i, issues) -> refusedEntries.put(i, FhirException.unprocessable(issues)));
                remaining = without;
            }
        }
    }

    /** The issues by the entry whose resource they are in; null when any is not inside an entry's resource. */
    private static Map<Integer, List<OperationOutcomeIssueComponent>> byEntry(FhirException refused) {
        Map<Integer, List<OperationOutcomeIssueComponent>> byEntry = new TreeMap<>();
        for (OperationOutcomeIssueComponent issue : refused.outcome().getIssue()) {
            Matcher entry = issue.getExpression().isEmpty() ? null
                    : ENTRY_RESOURCE.matcher(issue.getExpression().get(0).getValue());
            if (entry == null || !entry.lookingAt()) {
                return null; // a problem with the bundle itself
            }
            byEntry.computeIfAbsent(Integer.parseInt(entry.group(1)), i -> new ArrayList<>()).add(issue);
        }
        return byEntry;
    }

    /**
     * Refuses (400) a JSON body holding half a surrogate pair on its own, naming the element: it is no character,
     * and written out as UTF-8 it would become '?', so storing it would change what was sent.
     */
    private static void refuseUnpairedSurrogates(com.fasterxml.jackson.databind.node.ObjectNode tree, String body) {
        if (tree != null) {
            JsonNode type = tree.get("resourceType");
            String at = UnpairedSurrogates.in(tree, type != null && type.isTextual() ? type.textValue() : "$");
            if (at != null) {
                throw FhirException.of(400, ErrorCode.MALFORMED_BODY, IssueType.INVALID, "The JSON body could not"
                        + " be parsed: " + at + " holds half of a UTF-16 surrogate pair on its own (as a \\u"
                        + " escape), which is not a Unicode character", at);
            }
        } else if (UnpairedSurrogates.inJsonText(body)) {
            throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The JSON body could not be parsed: it holds"
                    + " half of a UTF-16 surrogate pair on its own (as a \\u escape), which is not a Unicode"
                    + " character");
        }
    }

    /**
     * FHIR XML may not declare entities, so HTML names such as {@code &reg;} are not well-formed XML
     * even though HAPI's XHTML reader would quietly turn them into characters.
     */
    private static void refuseUndeclaredEntities(String xml) {
        int amp = xml.indexOf('&');
        while (amp >= 0) {
            int end = amp + 1;
            while (end < xml.length() && Character.isLetterOrDigit(xml.charAt(end))) {
                end++;
            }
            if (end > amp + 1 && end < xml.length() && xml.charAt(end) == ';'
                    && !XML_ENTITIES.contains(xml.substring(amp + 1, end))) {
                throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The XML body could not be parsed: the entity \""
                        + xml.substring(amp + 1, end) + "\" was referenced, but not declared");
            }
            amp = xml.indexOf('&', amp + 1);
        }
    }

    /** Where in the body the elements of a name and value are: HAPI names the element at fault and no more. */
    private PathFinder paths(String body, com.fasterxml.jackson.databind.node.ObjectNode tree) {
        if (tree != null) {
            return (name, value) -> jsonShape.paths(tree, name, value);
        }
        return (name, value) -> body.startsWith("<") || body.stripLeading().startsWith("<")
                ? xmlShape.paths(body, name, value) : List.of();
    }

    @FunctionalInterface
    private interface PathFinder {
        List<String> paths(String name, String value);
    }

    private static FhirException malformed(String message, FhirFormat format,
                                           List<OperationOutcomeIssueComponent> issues) {
        if (!issues.isEmpty()) {
            return FhirException.unprocessable(issues);
        }
        String text = message == null ? "unreadable body" : message.replaceFirst("^HAPI-\\d+: ", "");
        if (text.contains("StreamReadConstraints.getMaxNumberLength")) {
            // Jackson's own wording names its settings class; the sender needs the limit.
            text = "a number in the body is longer than the "
                    + com.fasterxml.jackson.core.StreamReadConstraints.defaults().getMaxNumberLength()
                    + " characters a number may have"
                    + " here";
        }
        if (text.contains("Unknown resource") || text.contains("Unknown resource name")
                || text.contains("not a known resource type")) {
            return FhirException.of(400, ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.NOTSUPPORTED, text);
        }
        return FhirException.badRequest(ErrorCode.MALFORMED_BODY,
                "The " + format.name() + " body could not be parsed: " + text);
    }

    /** R4's integer, positiveInt and unsignedInt: a 32-bit signed number (datatypes.html). */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    /**
     * What is wrong with a value HAPI could not read, in FHIR's terms. HAPI passes on the Java exception it met
     * ("java.lang.NumberFormatException: For input string ..."), which tells the sender nothing about FHIR; the
     * one integers meet is a whole number beyond 32 bits.
     */
    static String invalidValueMessage(String value, String error) {
        if (error != null && error.contains("NumberFormatException")) {
            if (value != null && WHOLE_NUMBER.matcher(value).matches()) {
                return "The value " + value + " is out of range: an R4 integer (integer, positiveInt, unsignedInt)"
                        + " is a 32-bit signed number, from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
            }
            return "The value '" + value + "' is not a number of the form this element's type takes";
        }
        return "Invalid value '" + value + "': " + error;
    }

    /**
     * Collects every problem rather than stopping at the first, so the sender sees them all. HAPI says which
     * element a problem is in only by its name; each problem keeps that name (and the value at fault) until the
     * parse is over, when the body is searched for the element's full path.
     */
    private static final class CollectingHandler implements IParserErrorHandler {
        private final List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        private final List<String[]> where = new ArrayList<>();

        private void add(IParseLocation location, String message) {
            add(location == null ? null : location.getParentElementName(), null, message);
        }

        private void add(String element, String value, String message) {
            issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE,
                    message.replaceFirst("^HAPI-\\d+: ", ""), element));
            where.add(new String[] {element, value});
        }

        /** The issues, each with the path of its element where the body has one that fits. */
        List<OperationOutcomeIssueComponent> located(PathFinder finder) {
            java.util.Map<String, Integer> used = new java.util.HashMap<>();
            for (int i = 0; i < issues.size(); i++) {
                String element = where.get(i)[0];
                if (element == null) {
                    continue;
                }
                String value = where.get(i)[1];
                // The n-th problem with an element of this name and value is at its n-th occurrence.
                int n = used.merge(element + "\u0000" + value, 1, Integer::sum) - 1;
                List<String> paths = finder.paths(element, value);
                if (paths.isEmpty() && value != null) {
                    paths = finder.paths(element, null);
                }
                if (!paths.isEmpty()) {
                    issues.get(i).setExpression(new ArrayList<>(List.of(
                            new org.hl7.fhir.r4.model.StringType(paths.get(Math.min(n, paths.size() - 1))))));
                }
            }
            return issues;
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            add(location, "A contained resource has no id");
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected,
                                      ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
            add(location, "Element '" + elementName + "' has the wrong JSON type: expected " + expected
                    + (expectedScalar == null ? "" : " " + expectedScalar) + " but found " + found
                    + (foundScalar == null ? "" : " " + foundScalar));
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            add(location == null ? null : location.getParentElementName(), value, invalidValueMessage(value, error));
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String elementName) {
            add(location, "Required element '" + elementName + "' is missing");
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
            add(location, "Element '" + elementName + "' may only appear once");
        }

        @Override
        public void unknownAttribute(IParseLocation location, String attributeName) {
            add(location, "Unknown attribute '" + attributeName + "'");
        }

        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            add(elementName, null, "Unknown element '" + elementName + "'");
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            add(location, "Unresolvable contained reference '" + reference + "'");
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            add(location, "Invalid internal reference '" + reference + "'");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            add(location, "An extension has both a value and nested extensions");
        }
    }
}
