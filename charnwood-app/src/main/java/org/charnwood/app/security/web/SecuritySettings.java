package org.charnwood.app.security.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * The {@code charnwood.security.*} settings: token signing, lifetimes, sign-in protection, session timeouts,
 * rate limits, registered clients and federated identity providers. Secrets (signing key, client secrets of
 * federated providers) come from the environment, never from files in the repository.
 *
 * @param issuer               the public URL of this authorisation server; derived from each request when empty
 * @param signingKey           PEM (PKCS#8) RSA private key signing the tokens; env {@code CHARNWOOD_SIGNING_KEY}
 * @param requireSigningKey    refuse to start without {@code signingKey} (the production profile sets it)
 * @param accessTokenLifetime  how long an access token is valid
 * @param refreshTokenLifetime how long an offline refresh token is valid
 * @param lockout              failed sign-ins before an account locks, and for how long
 * @param session              idle and absolute session timeouts
 * @param rateLimit            requests per minute per client address on sign-in and token endpoints
 * @param clients              OAuth clients declared in settings
 * @param federation           external OpenID Connect providers people may sign in with
 * @param demo                 demo accounts and the demo backend client (demo profile only)
 */
@ConfigurationProperties("charnwood.security")
public record SecuritySettings(String issuer, String signingKey, boolean requireSigningKey,
                               Duration accessTokenLifetime, Duration refreshTokenLifetime,
                               Lockout lockout, Session session, RateLimit rateLimit,
                               List<ClientSettings> clients, List<Federation> federation, Demo demo) {

    public SecuritySettings {
        accessTokenLifetime = accessTokenLifetime == null ? Duration.ofMinutes(60) : accessTokenLifetime;
        refreshTokenLifetime = refreshTokenLifetime == null ? Duration.ofDays(30) : refreshTokenLifetime;
        lockout = lockout == null ? new Lockout(5, Duration.ofMinutes(15)) : lockout;
        session = session == null ? new Session(Duration.ofMinutes(15), Duration.ofHours(12)) : session;
        rateLimit = rateLimit == null ? new RateLimit(60, 30) : rateLimit;
        clients = clients == null ? List.of() : List.copyOf(clients);
        federation = federation == null ? List.of() : List.copyOf(federation);
        demo = demo == null ? new Demo(false, null) : demo;
    }

    /** Lock an account after {@code maxAttempts} consecutive failures, for {@code duration}. */
    public record Lockout(int maxAttempts, Duration duration) {
    }

    /** A signed-in session ends after {@code idle} without requests, and after {@code absolute} in any case. */
    public record Session(Duration idle, Duration absolute) {
    }

    /** A token bucket per client address: {@code perMinute} refill, bursts up to {@code burst}. */
    public record RateLimit(int perMinute, int burst) {
    }

    /**
     * An OAuth client declared in settings.
     *
     * @param clientId      the client id
     * @param name          a display name
     * @param kind          {@code public} (browser or mobile app, PKCE only), {@code confidential-asymmetric}
     *                      (private_key_jwt with {@code jwks} or {@code jwksUri}), or {@code confidential-symmetric}
     *                      (client secret, from the environment)
     * @param secret        the client secret for {@code confidential-symmetric}
     * @param jwks          the client's public JSON Web Key Set, inline
     * @param jwksUri       where the client publishes its JSON Web Key Set
     * @param redirectUris  allowed redirect URIs for the authorisation code flow
     * @param scopes        the most the client may ask for, e.g. {@code system/*.cruds} or {@code patient/*.rs}
     * @param grantTypes    {@code authorization_code}, {@code client_credentials}, {@code refresh_token}
     * @param consent       {@code required} or {@code not-required} (see {@code ClientRegistration})
     */
    public record ClientSettings(String clientId, String name, String kind, String secret, String jwks,
                                 String jwksUri, List<String> redirectUris, List<String> scopes,
                                 List<String> grantTypes, String consent) {
    }

    /**
     * An external OpenID Connect provider.
     *
     * @param registrationId  the short name in URLs ({@code /oauth2/authorization/<id>})
     * @param name            the label on the sign-in button
     * @param people          {@code staff} (CIS2-style: role claims map to access roles) or {@code patients}
     *                        (NHS login style: the {@code nhs_number} claim links to the Patient)
     * @param issuer          the provider's issuer
     * @param authorizationUri the provider's authorisation endpoint
     * @param tokenUri        the provider's token endpoint
     * @param jwkSetUri       the provider's signing keys
     * @param clientId        this server's client id there
     * @param clientSecret    this server's secret there (from the environment)
     * @param scopes          scopes to ask for
     * @param roleClaim       the claim holding role codes (staff), default {@code nhsid_nrbac_roles}
     * @param organisation    the ODS code staff must act for (staff); null accepts any
     * @param clientAuthentication how this server authenticates at the provider's token endpoint:
     *                        {@code client_secret_basic} or {@code private_key_jwt} (RFC 7523, as NHS login
     *                        requires); default {@code private_key_jwt} for patients, {@code client_secret_basic}
     *                        for staff
     * @param privateKey      for {@code private_key_jwt}: this server's PEM PKCS#8 RSA private key registered with
     *                        the provider (from the environment)
     * @param keyId           the {@code kid} registered with the key; default its RFC 7638 thumbprint
     * @param assertionAlgorithm the client assertion's signing algorithm; default {@code RS512} (NHS login)
     * @param idTokenAlgorithm the algorithm the provider signs ID tokens with; default {@code RS512} for patients
     *                        (NHS login), {@code RS256} for staff
     * @param vtr             NHS login's vectors of trust to ask for ({@code vtr}, e.g. {@code P9.Cp.Cd},
     *                        {@code P5.Cp.Cd}); unset, none is sent and NHS login asks for P9
     * @param acrValues       CIS2's classes of assurance to ask for ({@code acr_values}, e.g.
     *                        {@code AAL2_OR_AAL3_ANY}); unset, none is sent
     */
    public record Federation(String registrationId, String name, String people, String issuer,
                             String authorizationUri, String tokenUri, String jwkSetUri, String clientId,
                             String clientSecret, List<String> scopes, String roleClaim, String organisation,
                             String clientAuthentication, String privateKey, String keyId, String assertionAlgorithm,
                             String idTokenAlgorithm, String userInfoUri, List<String> acceptedAssurance,
                             List<String> vtr, List<String> acrValues) {

        public Federation {
            boolean patients = "patients".equals(people);
            // CIS2's classes of assurance with a second factor or better; a password alone (AAL1) is not enough for
            // staff, as it is not on this server's own sign-in, which asks for a TOTP code.
            acceptedAssurance = acceptedAssurance == null || acceptedAssurance.isEmpty()
                    ? List.of("AAL2", "AAL3") : List.copyOf(acceptedAssurance);
            clientAuthentication = clientAuthentication == null || clientAuthentication.isBlank()
                    ? (patients ? "private_key_jwt" : "client_secret_basic") : clientAuthentication;
            assertionAlgorithm = assertionAlgorithm == null || assertionAlgorithm.isBlank() ? "RS512" : assertionAlgorithm;
            idTokenAlgorithm = idTokenAlgorithm == null || idTokenAlgorithm.isBlank()
                    ? (patients ? "RS512" : "RS256") : idTokenAlgorithm;
            vtr = vtr == null ? List.of() : List.copyOf(vtr);
            acrValues = acrValues == null ? List.of() : List.copyOf(acrValues);
        }

        /**
         * What the provider's authorisation request carries besides Spring's own parameters: the vectors of trust
         * as the JSON array NHS login reads, and the classes of assurance space-separated (OpenID Connect Core
         * 3.1.2.1).
         */
        public java.util.Map<String, Object> authorizationParameters() {
            java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();
            if (!vtr.isEmpty()) {
                parameters.put("vtr", vtr.stream().map(v -> "\"" + v.replace("\"", "") + "\"")
                        .collect(java.util.stream.Collectors.joining(",", "[", "]")));
            }
            if (!acrValues.isEmpty()) {
                parameters.put("acr_values", String.join(" ", acrValues));
            }
            return parameters;
        }

        public boolean privateKeyJwt() {
            return "private_key_jwt".equals(clientAuthentication);
        }
    }

    /**
     * Demo mode: well-known demo accounts and a demo backend client with a published secret. Honoured only
     * when the demo profile is active.
     */
    public record Demo(boolean enabled, String backendClientSecret) {
    }
}
