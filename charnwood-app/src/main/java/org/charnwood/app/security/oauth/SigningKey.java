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
 * ({@code CHARNWOOD_SIGNING_KEY}, a PEM PKCS#8 private key) and refuses to start without one; elsewhere a key
 * is generated once and kept in the data folder, so tokens survive a restart of a development server.
 */
public final class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private SigningKey() {
    }

    public static RSAKey load(SecuritySettings settings, Path dataDir) {
        try {
            if (settings.signingKey() != null && !settings.signingKey().isBlank()) {
                return toJwk(readPem(settings.signingKey()));
            }
            if (settings.requireSigningKey()) {
                throw new IllegalStateException("charnwood.security.signing-key (env CHARNWOOD_SIGNING_KEY) must hold "
                        + "the token signing key as a PEM PKCS#8 RSA private key in this profile");
            }
            Path file = dataDir.resolve("auth").resolve("signing-key.pem");
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
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
