package org.charnwood.fhir.validation;

import java.util.Map;

/**
 * What a trust has configured about validation.
 *
 * @param enforcedProfiles profile canonical URL per resource type that every resource of that
 *                         type must conform to, whether it claims the profile or not; for example
 *                         {@code Patient -> https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient}
 */
public record ValidationSettings(Map<String, String> enforcedProfiles) {

    public ValidationSettings {
        enforcedProfiles = Map.copyOf(enforcedProfiles);
    }

    /** Base R4 on every write, and the profiles each resource claims; nothing enforced. */
    public static ValidationSettings defaults() {
        return new ValidationSettings(Map.of());
    }

    /** The profile every resource of this type must meet, or null. */
    public String enforcedProfile(String resourceType) {
        return enforcedProfiles.get(resourceType);
    }
}
