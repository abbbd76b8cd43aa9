package org.charnwood.fhir.validation;

import java.util.Map;

/**
 * What a trust has configured about validation.
 *
 * @param enforcedProfiles      profile canonical URL per resource type that every resource of that
 *                              type must conform to, whether it claims the profile or not; for example
 *                              {@code Patient -> https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient}
 * @param deepProfileValidation check profiles with HAPI's instance validator ({@link ProfileValidator})
 *                              instead of the compiled rules ({@link CompiledProfileValidator}): thorough
 *                              to the letter of the definitions but a hundred times slower, for
 *                              conformance testing rather than ingest
 */
public record ValidationSettings(Map<String, String> enforcedProfiles, boolean deepProfileValidation) {

    public ValidationSettings {
        enforcedProfiles = Map.copyOf(enforcedProfiles);
    }

    /** The given enforced profiles, checked with the compiled rules. */
    public ValidationSettings(Map<String, String> enforcedProfiles) {
        this(enforcedProfiles, false);
    }

    /** Base R4 on every write, and the profiles each resource claims; nothing enforced. */
    public static ValidationSettings defaults() {
        return new ValidationSettings(Map.of());
    }

    /** These settings with profiles checked by HAPI's instance validator (true) or the compiled rules (false). */
    public ValidationSettings withDeepProfileValidation(boolean deep) {
        return new ValidationSettings(enforcedProfiles, deep);
    }

    /** The profile every resource of this type must meet, or null. */
    public String enforcedProfile(String resourceType) {
        return enforcedProfiles.get(resourceType);
    }
}
