package org.charnwood.app.security.oauth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART on FHIR clinical scope ({@code patient/Observation.rs?category=vital-signs}): context, resource type,
 * permissions and an optional query restriction. Version 1 scopes ({@code .read}, {@code .write}, {@code .*})
 * are read as their version 2 permissions. Used only to decide whether a client may ask for a scope; what a
 * granted scope allows is the access policy's business.
 *
 * @param context     {@code patient}, {@code user} or {@code system}
 * @param resource    a resource type or {@code *}
 * @param permissions the letters of {@code cruds} granted, in canonical order
 * @param query       the restriction after {@code ?}, or null
 */
public record SmartScope(String context, String resource, String permissions, String query) {

    private static final Pattern SCOPE = Pattern.compile(
            "(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(read|write|\\*|c?r?u?d?s?)(\\?.+)?");

    /** Parses a clinical scope; null when {@code text} is not one (e.g. {@code openid}, {@code launch}). */
    public static SmartScope parse(String text) {
        Matcher m = SCOPE.matcher(text);
        if (!m.matches() || m.group(3).isEmpty() || (m.group(4) != null && m.group(2).equals("*"))) {
            // A search restriction names search parameters of one type: on * it cannot be applied, and the access
            // policy grants nothing for it, so it is no scope a client may be registered for or granted.
            return null;
        }
        String permissions = switch (m.group(3)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> m.group(3);
        };
        String query = m.group(4) == null ? null : m.group(4).substring(1);
        return new SmartScope(m.group(1), m.group(2), permissions, query);
    }

    /** Whether a client registered for {@code this} may be granted {@code requested}. */
    public boolean covers(SmartScope requested) {
        if (!context.equals(requested.context)) {
            return false;
        }
        if (!resource.equals("*") && !resource.equals(requested.resource)) {
            return false;
        }
        for (char c : requested.permissions.toCharArray()) {
            if (permissions.indexOf(c) < 0) {
                return false;
            }
        }
        // A registration restricted by a query covers only the same restriction.
        return query == null || query.equals(requested.query);
    }

    /** The resource types FHIR R4 defines: a scope may name one of these, or {@code *}. */
    private static final Set<String> RESOURCE_TYPES = Set.copyOf(org.charnwood.fhir.FhirContexts.r4().getResourceTypes());

    /**
     * The clinical scopes among {@code requested} that name no FHIR resource type ({@code system/Foo.rs}): a
     * registration for {@code system/*.rs} would otherwise cover them, granting a scope that means nothing.
     */
    public static Set<String> namingUnknownTypes(Collection<String> requested) {
        Set<String> unknown = new LinkedHashSet<>();
        for (String scope : requested) {
            SmartScope parsed = parse(scope);
            if (parsed != null && !parsed.resource().equals("*") && !RESOURCE_TYPES.contains(parsed.resource())) {
                unknown.add(scope);
            }
        }
        return unknown;
    }

    /** Scopes about the launch, identity and refresh rather than data; a client is allowed these by its kind. */
    static final Set<String> CONTEXT_SCOPES = Set.of("openid", "fhirUser", "profile", "launch", "launch/patient",
            "launch/encounter", "offline_access", "online_access");

    /**
     * Whether every requested scope is covered by one the client registered: clinical scopes by
     * {@link #covers}, others by exact match (context scopes are implied for user-facing clients).
     */
    public static Set<String> uncovered(Collection<String> requested, Collection<String> registered,
                                        boolean userFacing) {
        Set<String> refused = new LinkedHashSet<>();
        for (String scope : requested) {
            if (registered.contains(scope) || (userFacing && CONTEXT_SCOPES.contains(scope))) {
                continue;
            }
            SmartScope wanted = parse(scope);
            boolean covered = wanted != null && registered.stream().map(SmartScope::parse)
                    .anyMatch(r -> r != null && r.covers(wanted));
            if (!covered) {
                refused.add(scope);
            }
        }
        return refused;
    }
}
