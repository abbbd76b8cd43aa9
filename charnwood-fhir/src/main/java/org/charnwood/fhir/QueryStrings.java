package org.charnwood.fhir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code a=1&b=2} query strings (conditional URLs, If-None-Exist) into ordered parameters, and encodes
 * values to write them back into one (links).
 */
public final class QueryStrings {
    private QueryStrings() {
    }

    public static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null) {
            return params;
        }
        String q = query;
        int question = q.indexOf('?');
        if (question >= 0) {
            q = q.substring(question + 1);
        }
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), pair);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), pair);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /**
     * Percent-decodes one name or value as UTF-8, strictly: a broken escape, bytes that are not UTF-8, or a NUL
     * character (which no search value or name can hold, and the database cannot store) are refused with 400
     * naming the parameter, rather than guessed at.
     */
    private static String decode(String s, String pair) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int high = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int low = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw malformed(pair, "'%' must be followed by two hexadecimal digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    encoded = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(pair, "it is not percent-encoded UTF-8");
        }
        if (decoded.indexOf(0) >= 0) {
            throw malformed(pair, "it holds a NUL character (%00)");
        }
        return decoded;
    }

    private static FhirException malformed(String pair, String problem) {
        int eq = pair.indexOf('=');
        return FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, "Invalid search parameter '"
                + (eq < 0 ? pair : pair.substring(0, eq)) + "': " + problem);
    }

    /**
     * Percent-encodes what would break a query string or is not allowed in one: everything but the characters
     * RFC 3986 lets a query hold as they are, less those with a meaning here ({@code & = + ; ? #}). FHIR's
     * {@code , : $} stay readable; its {@code |} is not a URI character, so it is sent as {@code %7C}, or a client
     * following a link cannot make a URI of it.
     */
    public static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~,:$/*!'()@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
