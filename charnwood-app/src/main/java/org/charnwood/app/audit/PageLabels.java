package org.charnwood.app.audit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Set;

/** The security label codes ({@code meta.security}) of a stored resource, read from its JSON for a page's record. */
final class PageLabels {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PageLabels() {
    }

    static void collect(String json, Set<String> into) {
        JsonNode security = JSON.readTree(json).path("meta").path("security");
        for (JsonNode label : security) {
            String code = label.path("code").asString(null);
            if (code != null && !code.isBlank()) {
                into.add(code);
            }
        }
    }
}
