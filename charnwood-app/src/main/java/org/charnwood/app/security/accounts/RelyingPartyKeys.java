package org.charnwood.app.security.accounts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.charnwood.app.security.oauth.SigningKey;
import org.charnwood.app.security.web.SecuritySettings;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This server's keys as a relying party of the identity providers that take {@code private_key_jwt} (NHS login):
 * one RSA key per provider, from settings (the environment), each with the {@code kid} registered with the
 * provider and the algorithm its client assertions are signed with. Refuses to start when such a provider has no
 * key, rather than fail at the first sign-in.
 */
final class RelyingPartyKeys {

    private final Map<String, RSAKey> byRegistration;

    RelyingPartyKeys(SecuritySettings settings) {
        Map<String, RSAKey> keys = new LinkedHashMap<>();
        for (SecuritySettings.Federation f : settings.federation()) {
            if (!f.privateKeyJwt()) {
                continue;
            }
            if (f.privateKey() == null || f.privateKey().isBlank()) {
                throw new IllegalStateException("charnwood.security.federation '" + f.registrationId()
                        + "' authenticates with private_key_jwt and needs private-key (a PEM PKCS#8 RSA key from the environment)");
            }
            keys.put(f.registrationId(), key(f));
        }
        this.byRegistration = Map.copyOf(keys);
    }

    /** The signing key for the provider's client assertions; null when it does not use private_key_jwt. */
    RSAKey forRegistration(String registrationId) {
        return byRegistration.get(registrationId);
    }

    /** The public halves, to register with the providers (or for them to fetch). */
    JWKSet publicKeys() {
        return new JWKSet(byRegistration.values().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                .distinct().toList());
    }

    private static RSAKey key(SecuritySettings.Federation f) {
        try {
            RSAPrivateCrtKey privateKey = SigningKey.readPem(f.privateKey());
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            RSAKey withoutId = new RSAKey.Builder(publicKey).build();
            String kid = f.keyId() == null || f.keyId().isBlank() ? withoutId.computeThumbprint().toString() : f.keyId();
            return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.parse(f.assertionAlgorithm())).build();
        } catch (GeneralSecurityException | JOSEException | IllegalArgumentException e) {
            throw new IllegalStateException("the private key of federation '" + f.registrationId() + "' cannot be read", e);
        }
    }
}
