package org.charnwood.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A batch body with some entries' resources taken out, so that the rest can be read on its own. Used only when
 * a batch has entries that cannot be read, so building a tree of it here costs nothing on the usual path.
 */
final class BatchEntries {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FHIR_NS = "http://hl7.org/fhir";

    private BatchEntries() {
    }

    /** The body without the resources of {@code entries}; null when it is not a batch holding them all. */
    static String withoutResources(String body, FhirFormat format, Set<Integer> entries) {
        try {
            return format == FhirFormat.JSON ? json(body, entries) : xml(body, entries);
        } catch (Exception unreadable) {
            return null;
        }
    }

    private static String json(String body, Set<Integer> entries) throws JsonProcessingException {
        JsonNode root = JSON.readTree(body.charAt(0) == '\uFEFF' ? body.substring(1) : body);
        if (!"Bundle".equals(root.path("resourceType").asText()) || !"batch".equals(root.path("type").asText())) {
            return null;
        }
        JsonNode list = root.path("entry");
        for (int i : entries) {
            if (!(list.get(i) instanceof ObjectNode entry)) {
                return null;
            }
            entry.remove("resource");
        }
        return JSON.writeValueAsString(root);
    }

    private static String xml(String body, Set<Integer> entries) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // As the parser itself: no DTDs and no external entities (XXE).
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new StringReader(body)));
        Element root = document.getDocumentElement();
        if (!"Bundle".equals(root.getLocalName()) || !FHIR_NS.equals(root.getNamespaceURI())
                || !"batch".equals(value(child(root, "type")))) {
            return null;
        }
        List<Element> list = children(root, "entry");
        for (int i : entries) {
            if (i >= list.size()) {
                return null;
            }
            for (Element resource : children(list.get(i), "resource")) {
                list.get(i).removeChild(resource);
            }
        }
        TransformerFactory transformers = TransformerFactory.newInstance();
        transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        var transformer = transformers.newTransformer();
        transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter out = new StringWriter();
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toString();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName()) && FHIR_NS.equals(e.getNamespaceURI())) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String value(Element element) {
        return element == null ? null : element.getAttribute("value");
    }
}
