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
 * @param grantTypes   the grant types it may use: only {@link #SUPPORTED_GRANTS}, the ones SMART App Launch
 *                     and Backend Services use and the token endpoint checks scopes and context for
 * @param consent      {@code required} or {@code not-required}: whether a patient or carer must allow the app
 *                     before it acts for them. Unset, it is required when the client may ask for {@code patient/}
 *                     or {@code user/} scopes (for a patient both reach their own record), as a patient-facing app
 *                     could be anyone's; a staff app the trust approved may be registered {@code not-required}.
 */
public record ClientRegistration(String clientId, String name, String kind, String secretHash, String jwks,
                                 String jwksUri, List<String> redirectUris, List<String> scopes,
                                 List<String> grantTypes, String consent) {

    public static final String PUBLIC = "public";
    public static final String ASYMMETRIC = "confidential-asymmetric";
    public static final String SYMMETRIC = "confidential-symmetric";
    /** The shortest client secret accepted, wherever the client is registered: a shorter one can be guessed. */
    public static final int MIN_SECRET_LENGTH = 32;
    public static final String CONSENT_REQUIRED = "required";
    public static final String CONSENT_NOT_REQUIRED = "not-required";
    /**
     * The grants the token endpoint serves. Anything else (token exchange, device code, JWT bearer) would reach
     * tokens without the SMART scope, launch and consent checks, so it is refused at registration.
     */
    public static final List<String> SUPPORTED_GRANTS = List.of("authorization_code", "refresh_token",
            "client_credentials");

    public ClientRegistration {
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        grantTypes = grantTypes == null || grantTypes.isEmpty() ? defaultGrants(kind) : List.copyOf(grantTypes);
        if (kind == null || !List.of(PUBLIC, ASYMMETRIC, SYMMETRIC).contains(kind)) {
            throw new IllegalArgumentException("client kind must be public, confidential-asymmetric or "
                    + "confidential-symmetric, not " + kind);
        }
        List<String> unsupported = grantTypes.stream().filter(g -> !SUPPORTED_GRANTS.contains(g)).toList();
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("client grant types must be among " + SUPPORTED_GRANTS + ", not "
                    + unsupported);
        }
        if (consent == null || consent.isBlank()) {
            // user/ scopes count too: for a patient or carer they reach the record they may see, as patient/ do.
            consent = scopes.stream().anyMatch(s -> s.startsWith("patient/") || s.startsWith("user/"))
                    ? CONSENT_REQUIRED : CONSENT_NOT_REQUIRED;
        }
        if (!List.of(CONSENT_REQUIRED, CONSENT_NOT_REQUIRED).contains(consent)) {
            throw new IllegalArgumentException("client consent must be required or not-required, not " + consent);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("client id is required");
        }
    }

    private static List<String> defaultGrants(String kind) {
        return PUBLIC.equals(kind) ? List.of("authorization_code", "refresh_token")
                : List.of("client_credentials");
    }

    /**
     * Refuses, naming every fault, a registration that must not be stored: redirect URIs that are not absolute
     * https (plain http only to loopback), carry a fragment or user info; a user-facing client without one; scopes
     * that are not SMART scopes on FHIR R4 types or known ones; a {@code jwks} that is not a set of public keys;
     * a {@code jwksUri} that is not https or names a local address (unless allowed, {@link KeySetAddressRules}).
     */
    public void requireRegistrable(KeySetAddressRules addresses) {
        List<String> problems = RegistrationRules.problems(this, addresses);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("client " + clientId + ": " + String.join("; ", problems));
        }
    }

    /**
     * What is wrong with how a registration being made asks its client to authenticate: a secret given to a client
     * that does not authenticate with one (it would be ignored, and the client less protected than it looks), or a
     * public client registered for client credentials (it has no credentials, so it could never get a token). Checked
     * when a client is registered, not on stored ones, whose stray secret or grant is simply never used.
     */
    public List<String> credentialProblems(boolean secretGiven) {
        List<String> problems = new java.util.ArrayList<>();
        if (secretGiven && !SYMMETRIC.equals(kind)) {
            problems.add("only a confidential-symmetric client has a secret; a " + kind + " client must not be given one");
        }
        if (PUBLIC.equals(kind) && grantTypes.contains("client_credentials")) {
            problems.add("a public client cannot use client_credentials: it has no credentials to authenticate with");
        }
        return problems;
    }

    /** The same registration without its secret hash, for display. */
    public ClientRegistration withoutSecret() {
        return new ClientRegistration(clientId, name, kind, null, jwks, jwksUri, redirectUris, scopes, grantTypes,
                consent);
    }

    /** Whether patients and carers are asked before this app acts for them. */
    public boolean consentRequired() {
        return CONSENT_REQUIRED.equals(consent);
    }
}
