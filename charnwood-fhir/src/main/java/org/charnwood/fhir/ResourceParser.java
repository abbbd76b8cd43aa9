package org.charnwood.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses request bodies strictly: syntax errors are 400, and content the R4 model does not know
 * (unknown elements, wrong JSON types, bad primitive values) is 422 with every problem listed.
 * A lenient parser would silently drop such content, and we would store less than was sent.
 */
public final class ResourceParser {

    public Resource parse(String body, FhirFormat format) {
        if (body == null || body.isBlank()) {
            throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The request has no body");
        }
        CollectingHandler handler = new CollectingHandler();
        IParser parser = format.newParser().setParserErrorHandler(handler);
        IBaseResource parsed;
        try {
            parsed = parser.parseResource(body);
        } catch (DataFormatException e) {
            throw malformed(e.getMessage(), format, handler);
        } catch (RuntimeException e) {
            throw malformed(String.valueOf(e.getMessage()), format, handler);
        }
        if (!handler.issues.isEmpty()) {
            throw FhirException.unprocessable(handler.issues);
        }
        if (!(parsed instanceof Resource resource)) {
            throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The body is not an R4 resource");
        }
        return resource;
    }

    private static FhirException malformed(String message, FhirFormat format, CollectingHandler handler) {
        if (!handler.issues.isEmpty()) {
            return FhirException.unprocessable(handler.issues);
        }
        String text = message == null ? "unreadable body" : message.replaceFirst("^HAPI-\\d+: ", "");
        if (text.contains("Unknown resource") || text.contains("Unknown resource name")
                || text.contains("not a known resource type")) {
            return FhirException.of(400, ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.NOTSUPPORTED, text);
        }
        return FhirException.badRequest(ErrorCode.MALFORMED_BODY,
                "The " + format.name() + " body could not be parsed: " + text);
    }

    /** Collects every problem rather than stopping at the first, so the sender sees them all. */
    private static final class CollectingHandler implements IParserErrorHandler {
        private final List<OperationOutcomeIssueComponent> issues = new ArrayList<>();

        private void add(IParseLocation location, String message) {
            String path = location == null ? null : location.getParentElementName();
            issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE,
                    message.replaceFirst("^HAPI-\\d+: ", ""), path));
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
            add(location, "Invalid value '" + value + "': " + error);
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
            add(location, "Unknown element '" + elementName + "'");
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
