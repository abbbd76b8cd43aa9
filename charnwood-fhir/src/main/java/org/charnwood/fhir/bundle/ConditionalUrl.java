package org.charnwood.fhir.bundle;

import org.charnwood.fhir.QueryStrings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form of a conditional URL ({@code Type?criteria}), so that a conditional reference
 * written {@code Patient?identifier=x&active=true} finds the entry whose If-None-Exist was
 * {@code active=true&identifier=x}: criteria are ANDed, so their order carries no meaning.
 */
final class ConditionalUrl {

    private ConditionalUrl() {
    }

    static String key(String type, String query) {
        Map<String, List<String>> sorted = new TreeMap<>(QueryStrings.parse(query));
        StringBuilder key = new StringBuilder(type).append('?');
        for (Map.Entry<String, List<String>> parameter : sorted.entrySet()) {
            List<String> values = new ArrayList<>(parameter.getValue());
            values.sort(null);
            for (String value : values) {
                key.append(parameter.getKey()).append('=').append(value).append('&');
            }
        }
        return key.toString();
    }
}
