package org.charnwood.fhir.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer, held as its decoded reference tokens. {@code ""} is the whole document;
 * {@code ~1} stands for '/' and {@code ~0} for '~' inside a token.
 */
public record JsonPointer(List<String> tokens) {

    public JsonPointer {
        tokens = List.copyOf(tokens);
    }

    /** Parses pointer text; null when the text is not a JSON Pointer (the caller words the error). */
    public static JsonPointer parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            return new JsonPointer(List.of());
        }
        if (text.charAt(0) != '/') {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '/') {
                tokens.add(token.toString());
                token.setLength(0);
            } else if (ch == '~') {
                // Decoding each escape as it is met is what makes "~01" mean "~1" and not "/".
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next == '0') {
                    token.append('~');
                } else if (next == '1') {
                    token.append('/');
                } else {
                    return null;
                }
                i++;
            } else {
                token.append(ch);
            }
        }
        tokens.add(token.toString());
        return new JsonPointer(tokens);
    }

    public boolean isRoot() {
        return tokens.isEmpty();
    }

    /** The pointer to the containing value; only for a non-root pointer. */
    public JsonPointer parent() {
        return new JsonPointer(tokens.subList(0, tokens.size() - 1));
    }

    /** The last reference token; only for a non-root pointer. */
    public String last() {
        return tokens.get(tokens.size() - 1);
    }

    /** True when {@code other} points strictly inside the value this pointer names. */
    public boolean isProperPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (String token : tokens) {
            text.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return text.toString();
    }
}
