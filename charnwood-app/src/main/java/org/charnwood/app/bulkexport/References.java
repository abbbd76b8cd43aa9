package org.charnwood.app.bulkexport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources a stored resource refers to directly: every {@code reference} of a Reference in it, contained
 * resources and extensions included, that is a relative {@code Type/id} (or {@code Type/id/_history/v}) on this
 * server. Read from the stored JSON with a streaming parser, since an export reads many resources and needs nothing
 * else of them.
 */
final class References {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern RELATIVE =
            Pattern.compile("([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(/_history/[A-Za-z0-9\\-.]{1,64})?");

    private References() {
    }

    /** Adds the ids referred to by {@code json} to {@code byType}, for the types it already lists only. */
    static void collect(String json, Map<String, Set<String>> byType) {
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && "reference".equals(parser.currentName())
                        && parser.nextToken() == JsonToken.VALUE_STRING) {
                    Matcher m = RELATIVE.matcher(parser.getText());
                    if (m.matches() && byType.containsKey(m.group(1))) {
                        byType.get(m.group(1)).add(m.group(2));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
