package org.charnwood.fhir.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.StructureDefinition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The extensions R4 itself defines ({@code http://hl7.org/fhir/StructureDefinition/...}): the value
 * types each allows and, for complex ones, the sub-extensions each needs. Extensions from other
 * publishers are left to their profiles; an unknown extension is not an error in base R4.
 */
final class ExtensionDefinitions {
    static final String CORE_PREFIX = "http://hl7.org/fhir/StructureDefinition/";

    /**
     * One extension's shape.
     *
     * @param valueTypes     the value types allowed; empty when the extension may not have a value
     * @param subExtensions  the declared sub-extensions of a complex extension, by url
     * @param modifier       a modifier extension (used only in {@code modifierExtension})
     */
    record Definition(String url, Set<String> valueTypes, Map<String, SubExtension> subExtensions, boolean modifier) {
    }

    /** A declared sub-extension; {@code valueTypes} is null when the definition does not constrain the value. */
    record SubExtension(String url, int min, int max, Set<String> valueTypes) {
    }

    private final IValidationSupport support;
    private final Map<String, Optional<Definition>> definitions = new ConcurrentHashMap<>();

    ExtensionDefinitions(IValidationSupport support) {
        this.support = support;
    }

    Optional<Definition> find(String url) {
        if (url == null || !url.startsWith(CORE_PREFIX)) {
            return Optional.empty();
        }
        return definitions.computeIfAbsent(url, this::load);
    }

    private Optional<Definition> load(String url) {
        if (!(support.fetchStructureDefinition(url) instanceof StructureDefinition sd)
                || !"Extension".equals(sd.getType()) || !sd.hasSnapshot()) {
            return Optional.empty();
        }
        Set<String> valueTypes = Set.of();
        Map<String, SubExtension> subs = new LinkedHashMap<>();
        String sliceName = null;
        int sliceMin = 0;
        int sliceMax = 0;
        String sliceUrl = null;
        for (ElementDefinition e : sd.getSnapshot().getElement()) {
            String id = e.getId() == null ? e.getPath() : e.getId();
            if (id.equals("Extension.value[x]")) {
                valueTypes = "0".equals(e.getMax()) ? Set.of() : typeCodes(e);
            } else if (e.getPath().equals("Extension.extension") && e.hasSliceName()) {
                if (sliceName != null && sliceUrl != null) {
                    subs.put(sliceUrl, new SubExtension(sliceUrl, sliceMin, sliceMax, null));
                }
                sliceName = e.getSliceName();
                sliceMin = e.getMin();
                sliceMax = "*".equals(e.getMax()) ? Integer.MAX_VALUE : Integer.parseInt(e.getMax());
                sliceUrl = null;
            } else if (sliceName != null && id.equals("Extension.extension:" + sliceName + ".url")
                    && e.hasFixed()) {
                sliceUrl = e.getFixed().primitiveValue();
            } else if (sliceName != null && id.equals("Extension.extension:" + sliceName + ".value[x]")
                    && sliceUrl != null) {
                Set<String> types = "0".equals(e.getMax()) ? Set.of() : typeCodes(e);
                subs.put(sliceUrl, new SubExtension(sliceUrl, sliceMin, sliceMax, types));
                sliceName = null;
            }
        }
        if (sliceName != null && sliceUrl != null && !subs.containsKey(sliceUrl)) {
            subs.put(sliceUrl, new SubExtension(sliceUrl, sliceMin, sliceMax, null));
        }
        boolean modifier = !sd.getSnapshot().getElement().isEmpty() && sd.getSnapshot().getElement().get(0).getIsModifier();
        return Optional.of(new Definition(url, valueTypes, subs, modifier));
    }

    private static Set<String> typeCodes(ElementDefinition e) {
        Set<String> codes = new TreeSet<>();
        for (TypeRefComponent type : e.getType()) {
            codes.add(type.getCode());
        }
        return codes;
    }
}
