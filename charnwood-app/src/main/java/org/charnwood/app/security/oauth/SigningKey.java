package org.charnwood.app.security.oauth;

import com.nimbusds.jose.jwk.RSAKey;
import org.charnwood.app.security.web.SecuritySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The RSA key that signs access and ID tokens. Production takes it from the environment
 * ({@code CHARNWOOD_SIGNING_KEY}, a PEM PKCS#8 private key of at least 2048 bits) and refuses to start without
 * one; the dev and demo profiles generate one once and keep it in the data folder, so tokens survive a restart of a
 * development server.
 */
public final class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    /** The shortest RSA key that may sign a JWT (RFC 7518 3.3). */
    static final int MIN_KEY_BITS = 2048;

    private SigningKey() {
    }

    /** The configured key, or with {@code required} false and none configured, the data folder's. */
    public static RSAKey load(SecuritySettings settings, Path dataDir, boolean required) {
        try {
            if (settings.signingKey() != null && !settings.signingKey().isBlank()) {
                return toJwk(longEnough(readPem(settings.signingKey())));
            }
            if (required) {
                throw new IllegalStateException("charnwood.security.signing-key (env CHARNWOOD_SIGNING_KEY) must hold "
                        + "the token signing key as a PEM PKCS#8 RSA private key in this profile");
            }
            Path file = dataDir.resolve("auth").resolve("signing-key.pem");
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(MIN_KEY_BITS);
                KeyPair pair = generator.generateKeyPair();
                String pem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
                Files.writeString(file, pem);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // Not a POSIX file system: the data folder's own permissions protect it.
                }
                log.warn("Generated a token signing key in the data folder; production must set CHARNWOOD_SIGNING_KEY");
            }
            return toJwk(readPem(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The token signing key could not be read", e);
        }
    }

    /**
     * Tokens cannot be signed with a shorter key (RFC 7518 3.3): every token request would fail, so the server
     * refuses to start instead.
     */
    private static RSAPrivateCrtKey longEnough(RSAPrivateCrtKey key) {
        int bits = key.getModulus().bitLength();
        if (bits < MIN_KEY_BITS) {
            throw new IllegalStateException("The token signing key (CHARNWOOD_SIGNING_KEY) is an RSA key of " + bits
                    + " bits; it must be at least " + MIN_KEY_BITS + " bits: refusing to start");
        }
        return key;
    }

    /** A PEM PKCS#8 RSA private key. */
    public static RSAPrivateCrtKey readPem(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static RSAKey toJwk(RSAPrivateCrtKey privateKey) throws GeneralSecurityException {
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        // A key id derived from the public key, so that it is stable across restarts and instances.
        String kid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(publicKey.getEncoded())).substring(0, 16);
        return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(kid).build();
    }
}
