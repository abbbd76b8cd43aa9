package org.charnwood.fhir;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Finds a half of a UTF-16 surrogate pair standing alone in a JSON body (U+D800 written as a JSON escape): JSON's escapes can
 * spell one, but it is no Unicode character, so a FHIR string cannot hold it (R4 datatypes: strings are Unicode)
 * and storing it as UTF-8 would quietly turn it into '?'. Such a body is refused rather than changed.
 */
final class UnpairedSurrogates {

    private UnpairedSurrogates() {
    }

    /** The path ({@code Basic.code.text}, {@code Patient.name[0].given[1]}) of the first string holding one, or null. */
    static String in(JsonNode tree, String path) {
        if (tree.isTextual()) {
            return unpaired(tree.textValue()) ? path : null;
        }
        if (tree.isArray()) {
            for (int i = 0; i < tree.size(); i++) {
                String found = in(tree.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (tree.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path + "." + field.getKey();
                if (unpaired(field.getKey())) {
                    return at;
                }
                String found = in(field.getValue(), at);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Whether the text, as decoded, holds a surrogate without its other half. */
    static boolean unpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether JSON text not read into a tree spells a lone surrogate with a {@code \\u} escape, or holds one
     * outright: for a body the parser reads itself.
     */
    static boolean inJsonText(String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\' && i + 1 < json.length()) {
                if (json.charAt(i + 1) != 'u') {
                    i++; // an escaped character, a backslash included
                    continue;
                }
                int unit = hex(json, i + 2);
                if (unit >= 0 && Character.isHighSurrogate((char) unit)) {
                    int next = json.startsWith("\\u", i + 6) ? hex(json, i + 8) : -1;
                    if (next < 0 || !Character.isLowSurrogate((char) next)) {
                        return true;
                    }
                    i += 11;
                } else if (unit >= 0 && Character.isLowSurrogate((char) unit)) {
                    return true;
                } else {
                    i += 5;
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static int hex(String text, int from) {
        if (from + 4 > text.length()) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(from, from + 4), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
