package org.charnwood.app.security;

import org.charnwood.app.security.policy.SmartScope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether one set of SMART scopes still lets a client read what another did: for a result produced under a token's
 * scopes and handed out later (a bulk export's files), which a later token may have only if it reads at least as
 * much.
 */
public final class ReadScopes {

    private ReadScopes() {
    }

    /**
     * The scopes among {@code earlier} whose read permissions ({@code r}, {@code s}) none of {@code later} grants:
     * a later scope grants them when it has the same context, the same type or {@code *}, those letters, and no
     * search restriction or the same one. Scopes that are not about resources, or grant no read, are ignored.
     */
    public static List<String> notCoveredBy(Collection<String> earlier, Collection<String> later) {
        List<SmartScope> held = later.stream().map(SmartScope::parse).flatMap(Optional::stream).toList();
        List<String> missing = new ArrayList<>();
        for (String scope : earlier) {
            SmartScope before = SmartScope.parse(scope).orElse(null);
            if (before == null) {
                continue;
            }
            Set<Character> reads = new TreeSet<>(before.letters());
            reads.retainAll(Set.of('r', 's'));
            if (!reads.isEmpty() && held.stream().noneMatch(s -> grants(s, before, reads))) {
                missing.add(scope);
            }
        }
        return missing;
    }

    private static boolean grants(SmartScope held, SmartScope before, Set<Character> reads) {
        return held.context() == before.context()
                && (held.type().equals("*") || held.type().equals(before.type()))
                && held.letters().containsAll(reads)
                && (held.query() == null || held.query().equals(before.query()));
    }
}
