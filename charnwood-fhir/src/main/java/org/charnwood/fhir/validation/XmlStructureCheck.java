package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the shape of FHIR XML against the R4 definitions before HAPI reads it, the XML counterpart of
 * {@link JsonStructureCheck}. HAPI's XML parser drops what it does not expect without a word: text written
 * inside an element instead of in its {@code value} attribute, elements in another namespace or none, elements
 * out of their defined order. R4 XML (xml.html) allows none of those, so they are refused here with the path of
 * each problem. The body is read once, as a stream, so a large bundle costs no tree beyond the one HAPI builds.
 */
public final class XmlStructureCheck {

    public static final String FHIR_NS = "http://hl7.org/fhir";
    public static final String XHTML_NS = "http://www.w3.org/1999/xhtml";

    private static final XMLInputFactory FACTORY = factory();

    /** The attributes R4 XML has: a primitive's value, an element's id, an extension's url; a resource has none. */
    private static final Set<String> NONE = Set.of();
    private static final Set<String> ELEMENT = Set.of("id");
    private static final Set<String> PRIMITIVE = Set.of("id", "value");
    private static final Set<String> EXTENSION = Set.of("id", "url");

    private final R4Definitions defs;

    /** Uses the process-wide compiled R4 definitions. */
    public XmlStructureCheck() {
        this(R4Definitions.shared());
    }

    XmlStructureCheck(R4Definitions defs) {
        this.defs = defs;
    }

    /** No DTDs and no external entities: a FHIR body needs neither, and they are a way in (XXE). */
    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }

    /**
     * Every shape problem found; empty when there are none, or when the text is not well-formed XML (the
     * parser reports syntax errors better).
     */
    public List<OperationOutcomeIssueComponent> check(String xml) {
        Findings findings = new Findings();
        return walk(xml, new Walk(findings)) ? findings.issues() : List.of();
    }

    /**
     * The paths of the elements named {@code name} whose value attribute is {@code value} (any value when
     * null), in document order: where a problem the parser reported by element name alone is.
     */
    public List<String> paths(String xml, String name, String value) {
        Walk walk = new Walk(new Findings());
        walk.probeName = name;
        walk.probeValue = value;
        walk.found = new ArrayList<>();
        walk(xml, walk);
        return walk.found;
    }

    private static boolean walk(String xml, Walk walk) {
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(xml));
            try {
                walk.run(reader);
            } finally {
                reader.close();
            }
            return true;
        } catch (XMLStreamException e) {
            return false;
        }
    }

    /** One element being read: where it is, what it may hold, and what it has held so far. */
    private static final class Frame {
        final At at;
        /** The rules of its children; null for a primitive, which may hold only extensions. */
        final TypeRules rules;
        /** It holds a resource (contained, Bundle.entry.resource...) rather than elements. */
        final boolean container;
        final boolean primitive;
        /** A container that is a resource's {@code contained}, or the resource inside one. */
        boolean contained;
        int lastIndex = -1;
        String lastName;
        Map<String, Integer> seen;
        boolean textReported;

        Frame(At at, TypeRules rules, boolean container, boolean primitive) {
            this.at = at;
            this.rules = rules;
            this.container = container;
            this.primitive = primitive;
        }

        int next(String name) {
            if (seen == null) {
                seen = new HashMap<>();
            }
            return seen.merge(name, 1, Integer::sum) - 1;
        }
    }

    private final class Walk {
        private XMLStreamReader reader;
        private final Findings findings;
        private String probeName;
        private String probeValue;
        private List<String> found;
        private final Deque<Frame> stack = new ArrayDeque<>();
        /** Depth inside content not walked (narrative XHTML, or an element already refused). */
        private int skipping;

        Walk(Findings findings) {
            this.findings = findings;
        }

        void run(XMLStreamReader xml) throws XMLStreamException {
            this.reader = xml;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (skipping > 0) {
                            skipping++;
                        } else if (stack.isEmpty()) {
                            if (!root()) {
                                return;
                            }
                        } else {
                            element();
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        if (skipping > 0) {
                            skipping--;
                        } else {
                            stack.pop();
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (skipping == 0 && !stack.isEmpty() && !reader.isWhiteSpace()) {
                            text();
                        }
                    }
                    // Nothing a DTD declares is FHIR content (entities are refused before this check: decoded,
                    // they would be a way in), and a processing instruction is addressed to some other reader.
                    case XMLStreamConstants.DTD -> notAllowed("A document type declaration (<!DOCTYPE ...>) is not"
                            + " allowed: FHIR XML declares no DTD and no entities");
                    case XMLStreamConstants.PROCESSING_INSTRUCTION -> notAllowed("The processing instruction <?"
                            + reader.getPITarget() + " ...?> is not allowed: FHIR XML carries none (comments are"
                            + " allowed)");
                    default -> {
                    }
                }
            }
            if (!prolog.isEmpty() && rootName != null) {
                prolog.forEach(message -> error(message, At.root(rootName)));
            }
        }

        /** Problems met outside the resource's element, reported against it once its name is known. */
        private final List<String> prolog = new ArrayList<>();
        private String rootName;

        private void notAllowed(String message) {
            if (stack.isEmpty()) {
                prolog.add(message);
            } else {
                error(message, stack.peek().at);
            }
        }

        /** The resource itself: FHIR's namespace and a resource type; false when nothing more can be checked. */
        private boolean root() {
            String name = reader.getLocalName();
            rootName = name;
            if (!FHIR_NS.equals(reader.getNamespaceURI())) {
                error(wrongNamespace(name), At.root(name));
                return false;
            }
            TypeRules rules = defs.type(name);
            if (rules == null || !rules.resource) {
                return false; // the parser reports an unknown resource type
            }
            attributes(At.root(name), NONE);
            stack.push(new Frame(At.root(name), rules, false, false));
            return true;
        }

        private void element() {
            Frame parent = stack.peek();
            String name = reader.getLocalName();
            String ns = reader.getNamespaceURI();
            if (parent.container) {
                resource(parent, name, ns);
                return;
            }
            if (parent.primitive) {
                if (!"extension".equals(name) || !FHIR_NS.equals(ns)) {
                    refuse("Unknown element '" + name + "': a primitive element may only hold extensions",
                            parent.at.child(name));
                    return;
                }
                int i = parent.next(name);
                At at = parent.at.child(name).index(i);
                attributes(at, EXTENSION);
                stack.push(new Frame(at, defs.type("Extension"), false, false));
                return;
            }
            TypeRules.JsonProperty property = parent.rules.jsonProperties.get(name);
            if (found != null && name.equals(probeName) && (property == null || probeValue == null
                    || probeValue.equals(reader.getAttributeValue(null, "value")))) {
                probe(parent, property);
            }
            if (property == null) {
                refuse("Unknown element '" + name + "'", parent.at.child(name));
                return;
            }
            ElementRule rule = property.rule();
            boolean div = rule.kind == ElementRule.Kind.NARRATIVE_DIV;
            if (div ? !XHTML_NS.equals(ns) : !FHIR_NS.equals(ns)) {
                String expected = div ? XHTML_NS : FHIR_NS;
                refuse("Element '" + name + "' must be in the namespace " + expected + ", not "
                        + (ns == null || ns.isEmpty() ? "none" : ns), parent.at.child(name));
                return;
            }
            int index = index(parent.rules, rule);
            if (index < parent.lastIndex) {
                error("Element '" + name + "' is out of order: R4 XML requires the defined order, in which '"
                        + name + "' comes before '" + parent.lastName + "'", parent.at.child(name));
            } else if (index == parent.lastIndex && !rule.repeats()) {
                error("Element '" + name + "' may only appear once", parent.at.child(name));
            }
            if (index >= parent.lastIndex) {
                parent.lastIndex = index;
                parent.lastName = name;
            }
            int occurrence = parent.next(rule.name);
            At at = rule.choice() ? parent.at.choice(rule.name, property.type()) : parent.at.child(name);
            if (rule.repeats()) {
                at = at.index(occurrence);
            }
            if (div) {
                skipping = 1; // narrative XHTML is checked by the narrative rules (txt-1)
                return;
            }
            if (rule.kind == ElementRule.Kind.RESOURCE) {
                if ("contained".equals(rule.name) && parent.contained) {
                    // HAPI would lift the nested resources into the container: a silent rewrite of what was sent.
                    error(JsonStructureCheck.NESTED_CONTAINED, parent.at.child(name));
                }
                attributes(at, NONE);
                Frame holder = new Frame(at, null, true, false);
                holder.contained = "contained".equals(rule.name);
                stack.push(holder);
                return;
            }
            String type = property.type();
            if (isPrimitive(type) || rule.kind == ElementRule.Kind.ELEMENT_ID
                    || rule.kind == ElementRule.Kind.RESOURCE_ID || rule.kind == ElementRule.Kind.EXTENSION_URL) {
                attributes(at, PRIMITIVE);
                stack.push(new Frame(at, null, false, true));
                return;
            }
            attributes(at, "Extension".equals(type) ? EXTENSION : ELEMENT);
            TypeRules rules = rule.backbone != null ? rule.backbone : defs.type(type);
            if (rules == null) {
                skipping = 1;
                return;
            }
            stack.push(new Frame(at, rules, false, false));
        }

        /** Notes where the element the probe looks for is, as the walk would name it (before counting it). */
        private void probe(Frame parent, TypeRules.JsonProperty property) {
            String name = reader.getLocalName();
            if (property == null) {
                found.add(parent.at.child(name).toString());
                return;
            }
            ElementRule rule = property.rule();
            At at = rule.choice() ? parent.at.choice(rule.name, property.type()) : parent.at.child(name);
            if (rule.repeats()) {
                at = at.index(parent.seen == null ? 0 : parent.seen.getOrDefault(rule.name, 0));
            }
            found.add(at.toString());
        }

        /** The one resource inside {@code contained}, {@code Bundle.entry.resource} and the like. */
        private void resource(Frame parent, String name, String ns) {
            if (parent.lastName != null) {
                refuse("Element '" + name + "' is not allowed here: it can only hold one resource", parent.at);
                return;
            }
            parent.lastName = name;
            if (!FHIR_NS.equals(ns)) {
                refuse(wrongNamespace(name), parent.at);
                return;
            }
            TypeRules rules = defs.type(name);
            if (rules == null || !rules.resource) {
                refuse("'" + name + "' is not a FHIR R4 resource type", parent.at);
                return;
            }
            attributes(parent.at, NONE);
            Frame resource = new Frame(parent.at, rules, false, false);
            resource.contained = parent.contained;
            stack.push(resource);
        }

        /**
         * Attributes R4 XML does not define are refused, as HAPI would refuse them had it got that far (namespace
         * declarations are not attributes here).
         */
        private void attributes(At at, Set<String> allowed) {
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                String ns = reader.getAttributeNamespace(i);
                String name = reader.getAttributeLocalName(i);
                if ((ns == null || ns.isEmpty()) && allowed.contains(name)) {
                    continue;
                }
                String prefix = reader.getAttributePrefix(i);
                error("Unknown attribute '" + (prefix == null || prefix.isEmpty() ? "" : prefix + ":") + name
                        + "' on element '" + reader.getLocalName() + "'", at);
            }
        }

        private void text() {
            Frame frame = stack.peek();
            if (frame.textReported) {
                return;
            }
            frame.textReported = true;
            String name = frame.at.name() != null ? frame.at.name()
                    : frame.at.parent() == null ? null : frame.at.parent().name();
            error("Text content is not allowed in element '" + name + "': FHIR XML puts a primitive value in the"
                    + " value attribute (<" + name + " value=\"...\"/>), and only narrative XHTML may hold text",
                    frame.at);
        }

        private String wrongNamespace(String name) {
            String ns = reader.getNamespaceURI();
            return "The element '" + name + "' must be in the FHIR namespace " + FHIR_NS + ", not "
                    + (ns == null || ns.isEmpty() ? "in no namespace" : ns);
        }

        /** Reports a problem with an element and skips its content, which cannot be judged. */
        private void refuse(String message, At at) {
            error(message, at);
            skipping = 1;
        }

        private void error(String message, At at) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.STRUCTURE, message, at.toString());
        }
    }

    private static int index(TypeRules rules, ElementRule rule) {
        ElementRule[] children = rules.children;
        for (int i = 0; i < children.length; i++) {
            if (children[i] == rule) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPrimitive(String type) {
        return type != null && !type.isEmpty()
                && (Character.isLowerCase(type.charAt(0)) || type.startsWith("http://hl7.org/fhirpath/"));
    }
}
