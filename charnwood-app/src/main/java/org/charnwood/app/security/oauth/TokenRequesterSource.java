package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link Requester} from the verified credentials of the request: the bearer access token this
 * server issued (its signature, expiry and revocation already checked by the resource server), or the
 * signed-in session of a person using this server's own pages. Anything else is an anonymous caller.
 */
@Component
class TokenRequesterSource implements RequesterSource {

    @Override
    public Requester current(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String address = request.getRemoteAddr();
        if (authentication instanceof JwtAuthenticationToken token) {
            return fromToken(token.getToken(), address);
        }
        if (authentication != null && authentication.getPrincipal() instanceof SignedInPerson person) {
            return person.asRequester(address);
        }
        return Requester.anonymous(address);
    }

    static Requester fromToken(Jwt jwt, String address) {
        Requester.Kind kind = kind(jwt.getClaimAsString(SmartTokenClaims.KIND));
        String fhirUser = jwt.getClaimAsString(SmartTokenClaims.FHIR_USER);
        String scope = jwt.getClaimAsString("scope");
        List<String> scopes = scope == null || scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
        Object authTime = jwt.getClaims().get("auth_time");
        Instant authenticatedAt = authTime instanceof Number n ? Instant.ofEpochSecond(n.longValue())
                : authTime instanceof Instant i ? i : jwt.getIssuedAt();
        return new Requester(kind, kind == Requester.Kind.SYSTEM ? jwt.getClaimAsString("client_id") : jwt.getSubject(),
                fhirUser == null || fhirUser.isEmpty() ? null : fhirUser, roles(jwt.getClaimAsStringList(SmartTokenClaims.ROLES)),
                jwt.getClaimAsString(SmartTokenClaims.ORGANISATION), jwt.getClaimAsString("client_id"), scopes,
                jwt.getClaimAsString(SmartTokenClaims.PATIENT), jwt.getClaimAsString(SmartTokenClaims.ENCOUNTER),
                address, authenticatedAt, jwt.getClaimAsString(SmartTokenClaims.PROOFING));
    }

    private static Requester.Kind kind(String claim) {
        if (claim == null) {
            return Requester.Kind.ANONYMOUS;
        }
        try {
            return Requester.Kind.valueOf(claim);
        } catch (IllegalArgumentException e) {
            return Requester.Kind.ANONYMOUS;
        }
    }

    private static Set<AccessRole> roles(List<String> names) {
        Set<AccessRole> roles = EnumSet.noneOf(AccessRole.class);
        if (names != null) {
            for (String name : names) {
                try {
                    roles.add(AccessRole.valueOf(name));
                } catch (IllegalArgumentException ignored) {
                    // A role this version does not know grants nothing.
                }
            }
        }
        return roles;
    }
}
