package org.charnwood.fhir.search;

import java.util.List;
import java.util.Set;

/**
 * One search parameter as it applies to one resource type: the SearchParameter's code, type and
 * targets, with its expression narrowed to that type and compiled.
 *
 * @param url          canonical URL of the SearchParameter that defines it
 * @param code         the name used in queries, for example {@code birthdate}
 * @param resourceType the resource type it applies to (definitions on {@code Resource} are copied per type)
 * @param type         how values are indexed and matched
 * @param expression   the FHIRPath expression narrowed to this type; null when the parameter has none
 *                     ({@code _text}, {@code _content}), which means it cannot be searched here
 * @param path         the compiled expression, null when {@code expression} is
 * @param targets      resource types a reference parameter may point at
 * @param components   for a composite, its parts in definition order
 * @param derivation   when the parameter's values are exactly those of other parameters of the type,
 *                     which ones; its own rows are then not stored. Null for parameters stored as such
 */
public record SearchParameterDefinition(String url, String code, String resourceType, SearchParamType type,
                                        String expression, ElementPath path, Set<String> targets,
                                        List<Component> components, Derivation derivation) {

    /**
     * The parameter selects what other parameters already index: the union of their values
     * ({@code combo-code} is {@code code} and {@code component-code}),
     * or one's references to a single type ({@code patient} is {@code subject.where(resolve() is Patient)}).
     * Searching it searches their rows, so the same values are not written twice.
     *
     * @param params     the parameters whose rows hold the values
     * @param targetType for a reference restricted by {@code resolve() is T}, that type
     */
    public record Derivation(List<String> params, String targetType) {
    }

    SearchParameterDefinition derivedFrom(Derivation d) {
        return new SearchParameterDefinition(url, code, resourceType, type, expression, path, targets, components, d);
    }

    /** One part of a composite parameter: its type and its expression relative to the composite's element. */
    public record Component(String definitionUrl, SearchParamType type, String expression, ElementPath path) {
    }

    /** Whether values of this parameter can be indexed and searched. */
    public boolean searchable() {
        return path != null && type != SearchParamType.SPECIAL
                && (type != SearchParamType.COMPOSITE || !components.isEmpty());
    }
}
