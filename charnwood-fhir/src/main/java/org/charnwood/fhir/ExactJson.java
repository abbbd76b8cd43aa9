package org.charnwood.fhir;

import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Reads JSON keeping every decimal number as it was written. A decimal's precision is part of its value in FHIR:
 * {@code 2.10e3} has three significant figures where {@code 2100} has four, and the exponent form is how a sender
 * says so. HAPI's JSON reader hands each number to the model as {@code toPlainString()}, which writes
 * {@code 2.10e3} as {@code 2100} and {@code 1e3} as {@code 1000}: the precision sent would be lost on the way in,
 * and on every later read of what was stored. Here each number's {@code BigDecimal} answers with its own text, so
 * the model, the stored text and every answer made from it hold the number as sent.
 */
public final class ExactJson {

    /** Read as HAPI's own JSON reader does (exact decimals, nothing after the value). */
    private static final ObjectMapper STORED = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ExactJson() {
    }

    /** The JSON text as a tree read by {@code mapper}, each decimal number keeping the text it was written in. */
    public static JsonNode readTree(ObjectMapper mapper, String json) throws IOException {
        if (!mayLoseDecimalText(json)) {
            // Every resource written and read passes here, and the reader's own parser is the faster one.
            JsonNode tree = mapper.readTree(json);
            return tree == null ? mapper.getNodeFactory().missingNode() : tree;
        }
        try (JsonParser parser = new WrittenNumbers(mapper.getFactory().createParser(json))) {
            JsonNode tree = mapper.readTree(parser);
            return tree == null ? mapper.getNodeFactory().missingNode() : tree;
        }
    }

    /** Stored resource JSON as an R4 model object, its decimals as written. */
    public static Resource parse(String json) {
        return (Resource) parse(null, json);
    }

    /** Stored resource JSON as an R4 model object of the given type, its decimals as written. */
    @SuppressWarnings("unchecked")
    public static <T extends IBaseResource> T parse(Class<T> type, String json) {
        JsonNode tree;
        try {
            tree = readTree(STORED, json);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored resource JSON could not be read", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalStateException("Stored resource JSON is not an object");
        }
        JacksonStructure structure = new JacksonStructure();
        structure.setNativeObject(object);
        // What parseResource(String) ends in, as ResourceParser reads a request body.
        return (T) ((ca.uhn.fhir.parser.JsonParser) FhirContexts.r4().newJsonParser()).doParseResource(type, structure);
    }

    /**
     * Whether the text may hold a number that {@code toPlainString()} would write differently: one with an exponent
     * ({@code 2.10e3}), or a negative zero ({@code -0.0}, which a {@code BigDecimal} cannot hold). Any other decimal
     * comes back from {@code toPlainString()} exactly as written, trailing zeros included. Read over the whole text,
     * strings too, so it may answer yes for a string such as {@code "1e5"}: that costs only the slower reader.
     */
    static boolean mayLoseDecimalText(String json) {
        int n = json.length();
        for (int i = 1; i < n - 1; i++) {
            char c = json.charAt(i);
            if ((c == 'e' || c == 'E') && isDigit(json.charAt(i - 1))) {
                char next = json.charAt(i + 1);
                if (isDigit(next) || next == '+' || next == '-') {
                    return true;
                }
            } else if (c == '0' && json.charAt(i - 1) == '-') {
                int j = i + 1;
                while (j < n && (json.charAt(j) == '0' || json.charAt(j) == '.')) {
                    j++;
                }
                if (j == n || json.charAt(j) < '1' || json.charAt(j) > '9') {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A parser whose decimal numbers answer with the text they were written in. */
    private static final class WrittenNumbers extends JsonParserDelegate {
        WrittenNumbers(JsonParser parser) {
            super(parser);
        }

        @Override
        public BigDecimal getDecimalValue() throws IOException {
            return new WrittenDecimal(getText());
        }
    }

    /**
     * A decimal that writes itself as it was written: HAPI takes a JSON number's text from {@code toPlainString()},
     * and Jackson writes a {@code BigDecimal} with {@code toString()}.
     */
    private static final class WrittenDecimal extends BigDecimal {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final String text;

        WrittenDecimal(String text) {
            super(text);
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public String toPlainString() {
            return text;
        }
    }
}
