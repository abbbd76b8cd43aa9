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
 * Serves discovery, authorise, token and JWKS endpoints on a local port.
 */
public final class StandInIdentityProvider {

    private static StandInIdentityProvider instance;

    private final HttpServer server;
    private final RSAKey key;
    private final Map<String, Map<String, Object>> pending = new ConcurrentHashMap<>();
    private volatile Map<String, Object> nextUser = Map.of("sub", "nobody");

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
        server.createContext("/.well-known/openid-configuration", exchange -> reply(exchange, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
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
        String code = UUID.randomUUID().toString();
        Map<String, Object> grant = new ConcurrentHashMap<>(nextUser);
        grant.put("nonce", params.getOrDefault("nonce", ""));
        grant.put("aud", params.get("client_id"));
        pending.put(code, grant);
        exchange.getResponseHeaders().add("Location", params.get("redirect_uri") + "?code=" + code
                + "&state=" + URLEncoder.encode(params.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = TestTokens.query("?" + body);
        Map<String, Object> grant = pending.remove(form.get("code"));
        if (grant == null) {
            reply(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer())
                .audience(grant.get("aud").toString()).issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 300_000));
        grant.forEach((name, value) -> {
            if (!name.equals("aud")) {
                claims.claim(name, value);
            }
        });
        try {
            SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            idToken.sign(new RSASSASigner(key));
            reply(exchange, 200, "{\"access_token\":\"" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":300,\"scope\":\"openid\",\"id_token\":\"" + idToken.serialize() + "\"}");
        } catch (JOSEException e) {
            reply(exchange, 500, "{\"error\":\"server_error\"}");
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
