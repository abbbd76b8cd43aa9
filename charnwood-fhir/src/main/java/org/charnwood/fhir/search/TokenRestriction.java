package org.charnwood.fhir.search;

import org.charnwood.fhir.QueryStrings;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a resource, not yet stored, meets a search restriction made only of token parameters, such as the
 * {@code category=vital-signs} of a SMART scope {@code user/Observation.cu?category=vital-signs}. A write under such
 * a scope must leave a resource the scope could read, and the write is judged before anything is stored, so the
 * restriction is tested against the resource itself, with the same values the index would hold for it.
 *
 * <p>Only token parameters without modifiers are judged (the form fine-grained scopes take in practice:
 * {@code code}, {@code system|code}, {@code |code}, {@code system|}); for anything else the answer is empty, and
 * the caller must refuse rather than guess.
 */
public final class TokenRestriction {

    private final SearchParameterRegistry registry;

    public TokenRestriction(SearchParameterRegistry registry) {
        this.registry = registry;
    }

    /**
     * True when the resource meets every parameter of the query (each by any of its comma-separated values), false
     * when it does not, empty when the query holds something other than plain token parameters.
     */
    public Optional<Boolean> matches(Resource resource, String query) {
        Map<String, List<String>> params = QueryStrings.parse(query);
        if (params.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (param.getKey().contains(":") || param.getKey().contains(".")) {
                return Optional.empty();
            }
            Optional<SearchParameterDefinition> found = registry.find(resource.fhirType(), param.getKey());
            if (found.isEmpty() || found.get().type() != SearchParamType.TOKEN || found.get().path() == null) {
                return Optional.empty();
            }
            List<IndexValues.Token> held = found.get().path().select(resource, resource).stream()
                    .flatMap(b -> IndexValues.tokens(b).stream()).toList();
            for (String values : param.getValue()) {
                boolean any = false;
                for (String value : values.split(",")) {
                    any |= held.stream().anyMatch(token -> meets(token, value));
                }
                if (!any) {
                    return Optional.of(false);
                }
            }
        }
        return Optional.of(true);
    }

    private static boolean meets(IndexValues.Token token, String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            return value.equals(token.code());
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        if (system.isEmpty()) {
            return token.system() == null && code.equals(token.code());
        }
        return system.equals(token.system()) && (code.isEmpty() || code.equals(token.code()));
    }

}
