package org.charnwood.app.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny OpenID Connect provider standing in for CIS2 or NHS login in tests: it signs in whoever the test says
 * ({@link #nextUser}) without asking, and issues an ID token signed with its own key carrying the claims given.
 * Serves discovery, authorise, token and JWKS endpoints on a local port. Its token endpoint gives a code only with
 * the PKCE verifier of the S256 challenge the authorisation request carried, as a provider that requires PKCE does.
 *
 * <p>Its token endpoint authenticates the relying party the way each real provider does. Clients registered
 * with a public key ({@link #PRIVATE_KEY_JWT_CLIENT}, as NHS login's interface specification requires) must send
 * a {@code private_key_jwt} client assertion: signed RS512 by the registered key with its {@code kid},
 * {@code iss} = {@code sub} = client id, {@code aud} = this token endpoint, an unexpired {@code exp} at most five
 * minutes ahead and a {@code jti} never used before; a client secret is refused for them. Their ID tokens are
 * signed RS512. Other clients authenticate with {@code client_secret_basic} ({@link #CLIENT_SECRET}).
 */
public final class StandInIdentityProvider {

    /** The NHS login-style client, registered with the relying-party public key. */
    public static final String PRIVATE_KEY_JWT_CLIENT = "charnwood-nhs-login";
    public static final String CLIENT_SECRET = "stand-in-secret";

    /** How a token request authenticated, as the stand-in saw it. */
    public record TokenRequestSeen(String clientId, String method, SignedJWT assertion, String refusal) {
    }

    private static StandInIdentityProvider instance;

    private final Map<String, RSAKey> registeredKeys = new ConcurrentHashMap<>(
            Map.of(PRIVATE_KEY_JWT_CLIENT, TestKeys.relyingPartyKey().toPublicJWK()));
    private final java.util.Set<String> usedJtis = ConcurrentHashMap.newKeySet();
    private final java.util.List<TokenRequestSeen> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final RSAKey key;
    private final Map<String, Map<String, Object>> pending = new ConcurrentHashMap<>();
    private final Map<String, String> codeChallenges = new ConcurrentHashMap<>();
    private final java.util.List<Map<String, String>> authorizeRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<String, Object> nextUser = Map.of("sub", "nobody");
    /** The claims behind each access token issued, for the user info endpoint. */
    private final Map<String, Map<String, Object>> userInfo = new ConcurrentHashMap<>();
    /**
     * Claims the real providers put in the ID token; every other claim of {@link #nextUser} is given only by the user
     * info endpoint, as NHS login does with {@code nhs_number} and CIS2 with {@code nhsid_nrbac_roles} and {@code uid}.
     */
    private static final java.util.Set<String> ID_TOKEN_CLAIMS = java.util.Set.of("sub", "nonce", "aud", "vot", "vtm",
            "acr", "amr", "auth_time", "sid", "selected_roleid", "identity_proofing_level");

    private StandInIdentityProvider() {
        try {
            key = new RSAKeyGenerator(2048).keyID("stand-in").generate();
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", exchange -> reply(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/userinfo", this::userInfo);
        server.createContext("/.well-known/openid-configuration", exchange -> reply(exchange, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","userinfo_endpoint":"%1$s/userinfo","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer())));
        server.start();
    }

    public static synchronized StandInIdentityProvider get() {
        if (instance == null) {
            instance = new StandInIdentityProvider();
        }
        return instance;
    }

    public String issuer() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Who the next sign-in at this provider will be: the ID token's claims ({@code sub} at least). */
    public void nextUser(Map<String, Object> claims) {
        nextUser = Map.copyOf(claims);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> params = TestTokens.query(exchange.getRequestURI().toString());
        authorizeRequests.add(Map.copyOf(params));
        String code = UUID.randomUUID().toString();
        Map<String, Object> grant = new ConcurrentHashMap<>(nextUser);
        grant.put("nonce", params.getOrDefault("nonce", ""));
        grant.put("aud", params.get("client_id"));
        // PKCE (RFC 7636): the code is given out only to whoever shows the verifier of this S256 challenge.
        if ("S256".equals(params.get("code_challenge_method")) && params.get("code_challenge") != null) {
            codeChallenges.put(code, params.get("code_challenge"));
        }
        pending.put(code, grant);
        exchange.getResponseHeaders().add("Location", params.get("redirect_uri") + "?code=" + code
                + "&state=" + URLEncoder.encode(params.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /**
     * A back-channel logout token for the subject, as the provider would POST it to the relying party: signed
     * with the provider's key (RS512 for private_key_jwt clients, as their ID tokens), {@code aud} = client id,
     * the logout event, {@code iat} = {@code issuedAt}, a fresh {@code jti}.
     */
    public String logoutToken(String clientId, String subject, java.time.Instant issuedAt) {
        JWSAlgorithm algorithm = registeredKeys.containsKey(clientId) ? JWSAlgorithm.RS512 : JWSAlgorithm.RS256;
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(clientId).subject(subject)
                .issueTime(Date.from(issuedAt)).jwtID(UUID.randomUUID().toString())
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of())).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(
                    new com.nimbusds.jose.JOSEObjectType("logout+jwt")).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameters of the latest authorisation request a relying party sent here. */
    public Map<String, String> lastAuthorizeRequest() {
        return authorizeRequests.getLast();
    }

    /** The token requests received, oldest first. */
    public java.util.List<TokenRequestSeen> tokenRequests() {
        return java.util.List.copyOf(seen);
    }

    public String tokenEndpoint() {
        return issuer() + "/token";
    }

    private void token(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = TestTokens.query("?" + body);
        TokenRequestSeen client = authenticate(exchange, form);
        seen.add(client);
        if (client.refusal() != null) {
            reply(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"" + client.refusal() + "\"}");
            return;
        }
        Map<String, Object> grant = pending.remove(form.get("code"));
        String challenge = form.get("code") == null ? null : codeChallenges.remove(form.get("code"));
        if (grant == null || challenge == null || form.get("code_verifier") == null
                || !challenge.equals(TestTokens.s256(form.get("code_verifier")))) {
            reply(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer())
                .audience(grant.get("aud").toString()).issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 300_000));
        grant.forEach((name, value) -> {
            if (!name.equals("aud") && ID_TOKEN_CLAIMS.contains(name)) {
                claims.claim(name, value);
            }
        });
        String accessToken = UUID.randomUUID().toString();
        Map<String, Object> info = new java.util.HashMap<>(grant);
        info.remove("aud");
        info.remove("nonce");
        userInfo.put(accessToken, info);
        try {
            JWSAlgorithm algorithm = registeredKeys.containsKey(client.clientId()) ? JWSAlgorithm.RS512 : JWSAlgorithm.RS256;
            SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(),
                    claims.build());
            idToken.sign(new RSASSASigner(key));
            reply(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":300,\"scope\":\"openid\",\"id_token\":\"" + idToken.serialize() + "\"}");
        } catch (JOSEException e) {
            reply(exchange, 500, "{\"error\":\"server_error\"}");
        }
    }

    /** The user info endpoint: the claims of the person the bearer access token was issued for, as JSON. */
    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Map<String, Object> claims = authorization == null || !authorization.startsWith("Bearer ") ? null
                : userInfo.get(authorization.substring("Bearer ".length()));
        if (claims == null) {
            reply(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        reply(exchange, 200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims));
    }

    /** Client authentication at the token endpoint, as the documented NHS login token endpoint performs it. */
    private TokenRequestSeen authenticate(HttpExchange exchange, Map<String, String> form) {
        String assertion = form.get("client_assertion");
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (assertion == null) {
            if (basic == null || !basic.startsWith("Basic ")) {
                return new TokenRequestSeen(form.get("client_id"), "none", null, "no client authentication");
            }
            String[] idSecret = new String(java.util.Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            String clientId = java.net.URLDecoder.decode(idSecret[0], StandardCharsets.UTF_8);
            String refusal = registeredKeys.containsKey(clientId) ? "this client must use private_key_jwt"
                    : idSecret.length < 2 || !CLIENT_SECRET.equals(java.net.URLDecoder.decode(idSecret[1], StandardCharsets.UTF_8))
                    ? "wrong client secret" : null;
            return new TokenRequestSeen(clientId, "client_secret_basic", null, refusal);
        }
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String clientId = claims.getIssuer();
            RSAKey registered = clientId == null ? null : registeredKeys.get(clientId);
            String refusal = null;
            Date now = new Date();
            if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
                refusal = "wrong client_assertion_type";
            } else if (registered == null) {
                refusal = "unknown client";
            } else if (!JWSAlgorithm.RS512.equals(jwt.getHeader().getAlgorithm())) {
                refusal = "assertion must be signed RS512";
            } else if (!registered.getKeyID().equals(jwt.getHeader().getKeyID())) {
                refusal = "unknown kid";
            } else if (!jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(registered))) {
                refusal = "bad signature";
            } else if (!clientId.equals(claims.getSubject())
                    || (form.get("client_id") != null && !clientId.equals(form.get("client_id")))) {
                refusal = "iss and sub must be the client id";
            } else if (claims.getAudience() == null || !claims.getAudience().contains(tokenEndpoint())) {
                refusal = "aud must be the token endpoint";
            } else if (claims.getExpirationTime() == null || !claims.getExpirationTime().after(now)
                    || claims.getExpirationTime().getTime() - now.getTime() > 300_000) {
                refusal = "exp missing, past, or too far ahead";
            } else if (claims.getJWTID() == null || !usedJtis.add(claims.getJWTID())) {
                refusal = "jti missing or used before";
            }
            return new TokenRequestSeen(clientId, "private_key_jwt", jwt, refusal);
        } catch (java.text.ParseException | JOSEException e) {
            return new TokenRequestSeen(form.get("client_id"), "private_key_jwt", null, "unreadable assertion");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
