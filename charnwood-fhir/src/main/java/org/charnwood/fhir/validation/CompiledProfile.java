package org.charnwood.fhir.validation;

import java.util.List;

/**
 * One profile or extension definition compiled for the instance walk.
 *
 * @param url        canonical URL
 * @param type       the type it constrains ({@code Patient}, {@code Extension}...)
 * @param root       the rules on the resource (or extension, or datatype) itself
 * @param contexts   for an extension: where it may be used (element paths or type names); empty otherwise
 * @param modifier   for an extension: whether it is a modifier extension (only in modifierExtension)
 * @param fallbacks  rules that could not be compiled; when not empty the profile is checked by
 *                   HAPI's instance validator instead, so nothing it says is left unchecked
 */
record CompiledProfile(String url, String type, ProfileElement root, List<String> contexts, boolean modifier,
                       List<String> fallbacks) {

    boolean compiled() {
        return fallbacks.isEmpty();
    }
}
