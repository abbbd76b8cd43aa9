package org.charnwood.app.security.policy;

import org.charnwood.app.security.policy.SmartScope.Context;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SMART scopes of one request, as far as they concern resources in the contexts the caller's kind may
 * use. Scopes only narrow what the policy would otherwise permit; they never widen it.
 */
public final class ScopeSet {

    private final List<SmartScope> scopes;

    private ScopeSet(List<SmartScope> scopes) {
        this.scopes = scopes;
    }

    /** The resource scopes among {@code granted} whose context is one of {@code contexts}. */
    public static ScopeSet of(Collection<String> granted, Set<Context> contexts) {
        List<SmartScope> parsed = new ArrayList<>();
        for (String s : granted) {
            SmartScope.parse(s).filter(scope -> contexts.contains(scope.context())).ifPresent(parsed::add);
        }
        return new ScopeSet(List.copyOf(parsed));
    }

    /**
     * What the scopes grant for one permission on one type.
     *
     * @param granted         whether any scope grants it
     * @param launchPatientOnly whether only {@code patient/} scopes grant it, confining it to the launch patient
     * @param filters         search restrictions one of which must hold; empty when some granting scope has none
     */
    public record Grant(boolean granted, boolean launchPatientOnly, List<String> filters) {
        static final Grant NONE = new Grant(false, false, List.of());
    }

    public Grant grant(char letter, String type) {
        boolean any = false;
        boolean patientOnly = true;
        boolean unfiltered = false;
        List<String> filters = new ArrayList<>();
        for (SmartScope scope : scopes) {
            if (scope.grants(letter, type)) {
                any = true;
                patientOnly &= scope.context() == Context.PATIENT;
                if (scope.query() == null) {
                    unfiltered = true;
                } else {
                    filters.add(scope.query());
                }
            }
        }
        if (!any) {
            return Grant.NONE;
        }
        return new Grant(true, patientOnly, unfiltered ? List.of() : List.copyOf(filters));
    }

    /** The types the permission is granted on; null when granted on every type ({@code *}). */
    public Set<String> typesGranted(char letter) {
        Set<String> types = new HashSet<>();
        for (SmartScope scope : scopes) {
            if (scope.letters().contains(letter)) {
                if ("*".equals(scope.type())) {
                    return null;
                }
                types.add(scope.type());
            }
        }
        return types;
    }

    /** Whether some type's permission rests only on {@code patient/} scopes. */
    public boolean anyPatientContext() {
        return scopes.stream().anyMatch(s -> s.context() == Context.PATIENT);
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }
}
