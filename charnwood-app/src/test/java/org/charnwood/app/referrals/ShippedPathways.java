package org.charnwood.app.referrals;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;

/** The shipped pathways, read from the same files the loader reads. */
final class ShippedPathways {

    private ShippedPathways() {
    }

    static Pathway get(String slug) {
        for (Bundle bundle : PathwayLoader.shipped()) {
            PlanDefinition definition = find(bundle, PlanDefinition.class);
            if (definition.getUrl().endsWith("/" + slug)) {
                return PathwayDefinitions.read(definition, find(bundle, Questionnaire.class));
            }
        }
        throw new IllegalArgumentException(slug);
    }

    static <T extends org.hl7.fhir.r4.model.Resource> T find(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).findFirst().orElseThrow();
    }
}
