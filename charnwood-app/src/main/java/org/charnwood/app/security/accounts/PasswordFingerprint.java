package org.charnwood.app.security.accounts;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which stored password a person signed in with, kept in their session while they choose a new one: a SHA-256 of
 * the stored hash, so the session holds nothing a password could be guessed against, yet the change can tell
 * whether an administrator has given the account another password since.
 */
public record PasswordFingerprint(String value) implements Serializable {

    static PasswordFingerprint of(String passwordHash) {
        try {
            return new PasswordFingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(passwordHash).getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean matches(String passwordHash) {
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                of(passwordHash).value.getBytes(StandardCharsets.UTF_8));
    }
}
