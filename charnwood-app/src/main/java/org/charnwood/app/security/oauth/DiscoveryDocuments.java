package org.charnwood.app.security.oauth;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /.well-known/openid-configuration} and {@code /.well-known/oauth-authorization-server} say: exactly
 * what this server does. Spring's defaults advertise features that are switched off or never configured here
 * (token exchange, {@code client_secret_jwt}, mutual-TLS client authentication and certificate-bound tokens, DPoP),
 * and an app that believed them would fail or, worse, pick a weaker path it thinks we check. So only the endpoints
 * and claims listed here are kept, and the lists are ours.
 */
final class DiscoveryDocuments {

    /** Endpoints and facts Spring fills in correctly; anything else it adds is dropped. */
    private static final Set<String> KEPT = Set.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
            "userinfo_endpoint", "end_session_endpoint", "revocation_endpoint", "introspection_endpoint",
            "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported",
            "code_challenge_methods_supported");
    /** How clients authenticate ({@link ClientStore}): secret (basic or post), private_key_jwt, or none with PKCE. */
    static final List<String> TOKEN_ENDPOINT_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post",
            "private_key_jwt", "none");
    /** Introspection and revocation need an authenticated client: a public one cannot use them. */
    static final List<String> CONFIDENTIAL_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post",
            "private_key_jwt");
    /** The algorithms {@link ClientAssertionDecoders} accepts for {@code private_key_jwt}. */
    static final List<String> CLIENT_ASSERTION_ALGORITHMS = List.of("RS384", "ES384", "RS256", "ES256");

    private DiscoveryDocuments() {
    }

    static void onlyWhatWorks(Map<String, Object> claims) {
        claims.keySet().retainAll(KEPT);
        claims.put("grant_types_supported", ClientRegistration.SUPPORTED_GRANTS);
        claims.put("token_endpoint_auth_methods_supported", TOKEN_ENDPOINT_AUTH_METHODS);
        claims.put("token_endpoint_auth_signing_alg_values_supported", CLIENT_ASSERTION_ALGORITHMS);
        claims.put("introspection_endpoint_auth_methods_supported", CONFIDENTIAL_AUTH_METHODS);
        claims.put("revocation_endpoint_auth_methods_supported", CONFIDENTIAL_AUTH_METHODS);
        claims.put("scopes_supported", SmartConfigurationEndpoint.SCOPES_SUPPORTED);
        claims.put("response_types_supported", List.of("code"));
        claims.put("code_challenge_methods_supported", List.of("S256"));
    }
}
