package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams the records of one dm+d XML file with StAX, so memory stays flat however large the file (a full
 * release's AMPP file is hundreds of megabytes). A record is every element at a fixed depth below the root
 * ({@code <VMP>} in {@code VIRTUAL_MED_PRODUCTS/VMPS/VMP}); its fields are the text of all elements inside it,
 * flattened by name (the GTIN file nests its data one level deeper). Anything that is not well-formed XML,
 * including a file cut short, is refused with the line where reading stopped.
 */
final class DmdXmlReader {

    private static final XMLInputFactory FACTORY = newFactory();

    private DmdXmlReader() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // Release files never need a DTD or external entities; refusing them keeps a crafted file harmless.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /**
     * Reads {@code in} and hands each record at {@code recordDepth} (the root is depth 1) to {@code sink}.
     *
     * @param expectedRoot the root element the file must have, so that a file of the wrong kind is refused
     */
    static void read(String file, InputStream in, String expectedRoot, int recordDepth, Consumer<DmdRecord> sink) {
        XMLStreamReader xml = null;
        try {
            xml = FACTORY.createXMLStreamReader(in);
            int depth = 0;
            String section = null;
            String recordElement = null;
            int recordLine = 0;
            Map<String, String> fields = null;
            StringBuilder text = new StringBuilder();
            while (xml.hasNext()) {
                int event = xml.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        depth++;
                        String name = xml.getLocalName();
                        if (depth == 1 && !name.equals(expectedRoot)) {
                            throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_MALFORMED, file,
                                    xml.getLocation().getLineNumber(),
                                    "root element is <" + name + ">, expected <" + expectedRoot + ">");
                        }
                        if (depth == recordDepth - 1) {
                            section = name;
                        } else if (depth == recordDepth) {
                            recordElement = name;
                            recordLine = xml.getLocation().getLineNumber();
                            fields = new HashMap<>();
                        }
                        text.setLength(0);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (fields != null) {
                            text.append(xml.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        if (depth == recordDepth) {
                            sink.accept(new DmdRecord(file, recordLine, section == null ? recordElement : section,
                                    recordElement, fields));
                            fields = null;
                        } else if (depth > recordDepth && fields != null) {
                            String value = text.toString().trim();
                            if (!value.isEmpty()) {
                                fields.put(xml.getLocalName(), value);
                            }
                        }
                        text.setLength(0);
                        depth--;
                    }
                    default -> {
                        // comments, processing instructions and whitespace between records carry nothing
                    }
                }
            }
            if (depth != 0) {
                throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_MALFORMED, file, xml.getLocation().getLineNumber(),
                        "file ends inside an element; is it truncated?");
            }
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
            String problem = parserMessage(e.getMessage());
            boolean endedEarly = problem.contains("EOF") || problem.contains("end of file")
                    || problem.contains("must start and end within the same entity");
            throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_MALFORMED, file, line, endedEarly
                    ? "the file ends early; is it truncated? (" + problem + ")"
                    : "not well-formed XML: " + problem);
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException e) {
                    // reading is over either way
                }
            }
        }
    }

    /**
     * The parser's own words without its location lines: the JDK parser puts them after "Message:", Woodstox
     * before "at [row,col ...]". The refusal gives the line itself.
     */
    private static String parserMessage(String message) {
        if (message == null) {
            return "unreadable";
        }
        for (String line : message.strip().split("\\R")) {
            String l = line.strip();
            if (l.startsWith("Message:")) {
                return l.substring("Message:".length()).strip();
            }
            if (!l.isEmpty() && !l.startsWith("at [") && !l.startsWith("ParseError")) {
                return l;
            }
        }
        return message.strip();
    }
}
