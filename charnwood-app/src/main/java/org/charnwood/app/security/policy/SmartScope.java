package org.charnwood.app.security.policy;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR resource scope: {@code patient/Observation.rs}, {@code user/*.cruds},
 * {@code system/Patient.read} (v1), {@code patient/Observation.rs?category=vital-signs} (v2 with a search
 * restriction). Scopes that are not about resources ({@code openid}, {@code launch}, {@code fhirUser},
 * {@code offline_access}) are not SmartScopes.
 *
 * @param context  whose data: the launch patient's, whatever the user may see, or a backend system's
 * @param type     the resource type, or {@code *} for every type
 * @param letters  the permissions, from {@code c r u d s}
 * @param query    the search restriction of a v2 scope (after {@code ?}); null when none
 */
public record SmartScope(Context context, String type, Set<Character> letters, String query) {

    /** The scope's context prefix. */
    public enum Context { PATIENT, USER, SYSTEM }

    private static final Pattern SHAPE = Pattern.compile(
            "(patient|user|system)/([A-Za-z]+|\\*)\\.([a-z*]+)(?:\\?(.+))?");

    public SmartScope {
        letters = Set.copyOf(letters);
    }

    /** Reads a scope as issued; empty for non-resource scopes and for malformed ones (which grant nothing). */
    public static Optional<SmartScope> parse(String scope) {
        if (scope == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(scope.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        Context context = Context.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        Set<Character> letters = letters(m.group(3));
        if (letters == null || (m.group(4) != null && "*".equals(m.group(2)))) {
            // A search restriction names parameters of one type: on * it cannot be applied, so it grants nothing.
            return Optional.empty();
        }
        return Optional.of(new SmartScope(context, m.group(2), letters, m.group(4)));
    }

    /** v1 {@code read}, {@code write}, {@code *}; v2 letters in the order {@code c r u d s}. */
    private static Set<Character> letters(String permissions) {
        return switch (permissions) {
            case "read" -> Set.of('r', 's');
            case "write" -> Set.of('c', 'u', 'd');
            case "*" -> Set.of('c', 'r', 'u', 'd', 's');
            default -> {
                Set<Character> out = new TreeSet<>();
                int last = -1;
                for (char ch : permissions.toCharArray()) {
                    int at = "cruds".indexOf(ch);
                    if (at <= last) {
                        yield null;
                    }
                    last = at;
                    out.add(ch);
                }
                yield out.isEmpty() ? null : out;
            }
        };
    }

    /** Whether the scope gives the permission on the type. */
    public boolean grants(char letter, String resourceType) {
        return letters.contains(letter) && ("*".equals(type) || type.equals(resourceType));
    }
}
