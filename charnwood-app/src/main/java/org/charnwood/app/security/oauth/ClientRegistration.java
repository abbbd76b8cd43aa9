package org.charnwood.app.security.oauth;

import java.util.List;

/**
 * A client application allowed to ask this server for tokens, as stored and as the admin API shows it.
 *
 * @param clientId     the client id
 * @param name         a display name
 * @param kind         {@code public}, {@code confidential-asymmetric} or {@code confidential-symmetric}
 * @param secretHash   the hashed client secret ({@code confidential-symmetric} only); never shown
 * @param jwks         the client's public keys (JWKS JSON) for {@code private_key_jwt}
 * @param jwksUri      where the client publishes its public keys
 * @param redirectUris allowed redirect URIs
 * @param scopes       the most the client may ask for
 * @param grantTypes   the grant types it may use
 */
public record ClientRegistration(String clientId, String name, String kind, String secretHash, String jwks,
                                 String jwksUri, List<String> redirectUris, List<String> scopes,
                                 List<String> grantTypes) {

    public static final String PUBLIC = "public";
    public static final String ASYMMETRIC = "confidential-asymmetric";
    public static final String SYMMETRIC = "confidential-symmetric";

    public ClientRegistration {
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        grantTypes = grantTypes == null || grantTypes.isEmpty() ? defaultGrants(kind) : List.copyOf(grantTypes);
        if (!List.of(PUBLIC, ASYMMETRIC, SYMMETRIC).contains(kind)) {
            throw new IllegalArgumentException("client kind must be public, confidential-asymmetric or "
                    + "confidential-symmetric, not " + kind);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("client id is required");
        }
    }

    private static List<String> defaultGrants(String kind) {
        return PUBLIC.equals(kind) ? List.of("authorization_code", "refresh_token")
                : List.of("client_credentials");
    }

    /** The same registration without its secret hash, for display. */
    public ClientRegistration withoutSecret() {
        return new ClientRegistration(clientId, name, kind, null, jwks, jwksUri, redirectUris, scopes, grantTypes);
    }
}
