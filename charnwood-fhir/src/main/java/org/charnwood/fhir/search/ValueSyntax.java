package org.charnwood.fhir.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The escaping rules of search values: {@code ,} separates alternatives, {@code |} and {@code $}
 * separate parts, and a backslash makes any of them (or itself) literal.
 */
final class ValueSyntax {

    private ValueSyntax() {
    }

    /** Splits at every unescaped {@code separator}; the pieces keep their escapes. */
    static List<String> split(String value, char separator) {
        List<String> out = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == separator) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    /** Removes the escaping backslashes. */
    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                c = value.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Escapes LIKE wildcards so the text matches only itself. */
    static String likeLiteral(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
