package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Puts who the token is for into the access and ID tokens, so the resource server can build a faithful
 * {@link Requester} without a database round trip: the caller's kind, {@code fhirUser}, access roles,
 * organisation, client, the SMART launch context ({@code patient}, {@code encounter}) and when they signed in.
 * The {@code scope} claim is written as the space-separated string RFC 9068 describes, and {@code aud} names this
 * server's FHIR base URL ({@link #fhirBase}), the resource server the app asked for (SMART App Launch's {@code aud}),
 * with the client in {@code client_id}: {@code /fhir} refuses a token for any other audience. On a refresh the person is
 * read again from their account ({@link AccountsAtRefresh}), which refuses the refresh when the account may no
 * longer sign in: the access token is made first, so nothing is issued then.
 */
class SmartTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String KIND = "kind";
    static final String ROLES = "roles";
    static final String ORGANISATION = "organisation";
    static final String FHIR_USER = "fhirUser";
    static final String PATIENT = "patient";
    static final String ENCOUNTER = "encounter";
    static final String PROOFING = "identity_proofing_level";

    private final LaunchContexts launches;
    private final AccountsAtRefresh accounts;

    SmartTokenClaims(LaunchContexts launches, AccountsAtRefresh accounts) {
        this.launches = launches;
        this.accounts = accounts;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        var claims = context.getClaims();
        Authentication principal = context.getPrincipal();
        boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        String clientId = context.getRegisteredClient().getClientId();
        Map<String, String> launch = Map.of();
        if (principal != null && principal.getPrincipal() instanceof SignedInPerson granted) {
            SignedInPerson person = AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                    ? accounts.current(granted, context.getAuthorization().getAuthorizedScopes(),
                    grantedPatient(context.getAuthorization())) : granted;
            claims.subject(person.accountId());
            if (idToken) {
                // OpenID Connect and SMART: fhirUser is the URL of the person's FHIR resource; someone with none (an
                // analyst, say) has no claim rather than an empty one an app would take for a reference.
                if (person.fhirUser() != null && !person.fhirUser().isEmpty()) {
                    claims.claim(FHIR_USER, person.fhirUser());
                }
                return;
            }
            // As in the ID token: no claim for someone with no FHIR record, rather than an empty one.
            if (person.fhirUser() != null && !person.fhirUser().isEmpty()) {
                claims.claim(FHIR_USER, person.fhirUser());
            }
            claims.claim(KIND, person.kind().name());
            claims.claim(ROLES, person.roles().stream().map(AccessRole::name).sorted().toList());
            if (person.organisation() != null) {
                claims.claim(ORGANISATION, person.organisation());
            }
            if (person.identityProofingLevel() != null) {
                claims.claim(PROOFING, person.identityProofingLevel());
            }
            claims.claim("auth_time", person.authenticatedAt().getEpochSecond());
            launch = launchContext(context, person);
            launch.forEach(claims::claim);
        } else if (!idToken) {
            claims.claim(KIND, Requester.Kind.SYSTEM.name());
        }
        if (!idToken && OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            claims.audience(java.util.List.of(fhirBase(context.getAuthorizationServerContext().getIssuer())));
            claims.claim("client_id", clientId);
            Set<String> scopes = new TreeSet<>(NarrowerScopesAtRefresh.scopesOf(context));
            if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())) {
                // The grant's scopes were allowed when the person authorised the app, maybe weeks ago: if the trust
                // has since narrowed what the client is registered for, its new tokens carry only what it may still
                // have, as a new authorisation would.
                scopes.removeAll(SmartScope.uncovered(scopes, context.getRegisteredClient().getScopes(), true));
            }
            scopes.removeAll(notGranted(context));
            // launch/patient and launch/encounter ask for a context: claimed granted, the app would take it as given.
            // There is no encounter picker, and a patient or carer with no record linked has no patient to give.
            if (!launch.containsKey(PATIENT)) {
                scopes.remove("launch/patient");
            }
            if (!launch.containsKey(ENCOUNTER)) {
                scopes.remove("launch/encounter");
            }
            claims.claim("scope", String.join(" ", scopes));
        }
    }

    /** The launch patient of the grant's current access token, kept across refreshes; null when it has none. */
    private static String grantedPatient(OAuth2Authorization authorization) {
        Map<String, Object> claims = authorization == null || authorization.getAccessToken() == null ? null
                : authorization.getAccessToken().getClaims();
        return claims != null && claims.get(PATIENT) instanceof String patient ? patient : null;
    }

    /** The FHIR base URL of the server whose issuer is {@code issuer}: what an access token's {@code aud} names. */
    static String fhirBase(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return base + "/fhir";
    }

    /**
     * Scopes an app may ask for but that this grant does not give it, so the token (and the token response, which
     * repeats the token's scope) does not claim them: {@code offline_access} and {@code online_access} when the
     * client gets no refresh token (a public client, or one not registered for the refresh grant), and
     * {@code launch} when no launch was bound to the request, so there is no launch context.
     */
    static Set<String> notGranted(JwtEncodingContext context) {
        Set<String> dropped = new java.util.HashSet<>();
        var client = context.getRegisteredClient();
        if (!client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                || client.getClientAuthenticationMethods().contains(
                org.springframework.security.oauth2.core.ClientAuthenticationMethod.NONE)) {
            dropped.add("offline_access");
            dropped.add("online_access");
        }
        OAuth2Authorization authorization = context.getAuthorization();
        OAuth2AuthorizationRequest request = authorization == null ? null
                : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request == null || request.getAdditionalParameters().get("launch") == null) {
            dropped.add("launch");
        }
        return dropped;
    }

    /** The patient and encounter the app was launched with, kept across refreshes of the same grant. */
    Map<String, String> launchContext(JwtEncodingContext context, SignedInPerson person) {
        OAuth2Authorization authorization = context.getAuthorization();
        if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                && authorization != null && authorization.getAccessToken() != null) {
            Map<String, Object> previous = authorization.getAccessToken().getClaims();
            Map<String, String> kept = new java.util.HashMap<>();
            if (previous != null) {
                for (String name : Set.of(PATIENT, ENCOUNTER)) {
                    if (previous.get(name) instanceof String v) {
                        kept.put(name, v);
                    }
                }
            }
            return kept;
        }
        Map<String, String> result = new java.util.HashMap<>();
        OAuth2AuthorizationRequest request = authorization == null ? null
                : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        Object launchId = request == null ? null : request.getAdditionalParameters().get("launch");
        LaunchContexts.Launch launch = null;
        if (launchId != null) {
            // Only staff mint launches, and each is theirs alone (and its app's, when it names one), once: an app that sent one it cannot use gets no
            // token rather than one without the context it asked for.
            launch = person.kind() == Requester.Kind.STAFF
                    ? launches.use(launchId.toString(), person.accountId(), context.getRegisteredClient().getClientId())
                    : null;
            if (launch == null) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "the launch is unknown, expired, already used, not this user's or for another app", null));
            }
        }
        Set<String> scopes = context.getAuthorizedScopes();
        if (launch != null) {
            if (launch.patient() != null) {
                result.put(PATIENT, launch.patient());
            }
            if (launch.encounter() != null) {
                result.put(ENCOUNTER, launch.encounter());
            }
        } else if (scopes.contains("launch/patient") && person.patientId() != null) {
            // Standalone launch by a patient or carer: their own record, or the record they care for.
            result.put(PATIENT, person.patientId());
        }
        return result;
    }
}
