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

import java.util.Date;
import java.util.UUID;

/** The key pair of the test backend client, registered with the server by its public JWKS. */
public final class TestKeys {

    public static final String BACKEND_CLIENT = "charnwood-test-backend";
    private static final RSAKey KEY = generate();
    /** The key this server signs its client assertions to the NHS login stand-in with. */
    private static final RSAKey RELYING_PARTY = generate("charnwood-nhs-login-2026");

    /** The relying-party key id registered with the NHS login stand-in. */
    public static final String RELYING_PARTY_KID = "charnwood-nhs-login-2026";

    private TestKeys() {
    }

    public static RSAKey backendKey() {
        return KEY;
    }

    public static RSAKey relyingPartyKey() {
        return RELYING_PARTY;
    }

    /** The relying-party private key as PEM PKCS#8, the form the settings take it in. */
    public static String relyingPartyPem() {
        try {
            return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder()
                    .encodeToString(RELYING_PARTY.toRSAPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key set the test backend client is registered with. */
    public static String backendJwks() {
        return new JWKSet(KEY.toPublicJWK()).toString();
    }

    /** A SMART Backend Services client assertion (RS384) for the token endpoint. */
    public static String clientAssertion(String clientId, RSAKey key, String tokenEndpoint) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenEndpoint)
                            .jwtID(UUID.randomUUID().toString())
                            .expirationTime(new Date(System.currentTimeMillis() + 240_000)).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate() {
        return generate("test-backend");
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
