package org.charnwood.fhir.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptReferenceComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The terminology the base validator can answer on its own: the code systems and value sets that
 * ship with R4. Anything else (SNOMED CT, LOINC, dm+d) is left to the profile validator, which
 * knows to warn rather than fail when it cannot check a code.
 */
final class Terminology {
    /**
     * Code system URLs come from the resources being validated, so unknown ones are only remembered
     * up to a point: a sender must not be able to grow this cache without bound.
     */
    private static final int REMEMBERED_UNKNOWN_SYSTEMS = 10_000;

    private final IValidationSupport support;
    private final Map<String, Optional<CodeSystemIndex>> codeSystems = new ConcurrentHashMap<>();
    private final Map<String, ValueSetMembership> valueSets = new ConcurrentHashMap<>();

    Terminology(IValidationSupport support) {
        this.support = support;
    }

    /** The local complete code system with this URL, if there is one. */
    Optional<CodeSystemIndex> codeSystem(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Optional<CodeSystemIndex> found = codeSystems.get(url);
        if (found == null) {
            found = Optional.ofNullable(loadCodeSystem(url));
            if (found.isPresent() || codeSystems.size() < REMEMBERED_UNKNOWN_SYSTEMS) {
                codeSystems.put(url, found);
            }
        }
        return found;
    }

    ValueSetMembership expand(String valueSetUrl) {
        String url = withoutVersion(valueSetUrl);
        ValueSetMembership found = valueSets.get(url);
        if (found == null) {
            found = expand(url, new HashSet<>());
            valueSets.put(url, found);
        }
        return found;
    }

    private ValueSetMembership expand(String url, Set<String> visiting) {
        if (!visiting.add(url)) {
            return ValueSetMembership.UNCHECKABLE;
        }
        if (!(support.fetchValueSet(url) instanceof ValueSet vs) || !vs.hasCompose()) {
            return ValueSetMembership.UNCHECKABLE;
        }
        ValueSetMembership.Builder builder = new ValueSetMembership.Builder();
        for (ConceptSetComponent include : vs.getCompose().getInclude()) {
            for (CanonicalType imported : include.getValueSet()) {
                ValueSetMembership other = expand(withoutVersion(imported.getValue()), visiting);
                if (!other.checkable()) {
                    return ValueSetMembership.UNCHECKABLE;
                }
                builder.addAll(other);
            }
            if (!include.hasSystem()) {
                continue;
            }
            if (include.hasFilter()) {
                return ValueSetMembership.UNCHECKABLE;
            }
            if (include.hasConcept()) {
                for (ConceptReferenceComponent concept : include.getConcept()) {
                    builder.add(include.getSystem(), concept.getCode());
                }
            } else {
                Optional<CodeSystemIndex> cs = codeSystem(include.getSystem());
                if (cs.isEmpty()) {
                    return ValueSetMembership.UNCHECKABLE;
                }
                builder.addAll(include.getSystem(), cs.get().codes());
            }
        }
        for (ConceptSetComponent exclude : vs.getCompose().getExclude()) {
            if (exclude.hasFilter() || exclude.hasValueSet()) {
                return ValueSetMembership.UNCHECKABLE;
            }
            for (ConceptReferenceComponent concept : exclude.getConcept()) {
                builder.remove(exclude.getSystem(), concept.getCode());
            }
        }
        return builder.build(url);
    }

    private CodeSystemIndex loadCodeSystem(String url) {
        try {
            return support.fetchCodeSystem(url) instanceof CodeSystem cs ? CodeSystemIndex.of(cs) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String withoutVersion(String canonical) {
        int bar = canonical.indexOf('|');
        return bar < 0 ? canonical : canonical.substring(0, bar);
    }
}
