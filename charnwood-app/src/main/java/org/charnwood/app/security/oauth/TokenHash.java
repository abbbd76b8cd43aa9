package org.charnwood.app.security.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a token value, as hex: how tokens are named in the database, so stored rows cannot be replayed.
 * A grant read back from the database carries {@link #placeholder placeholders} instead of the values of the
 * tokens that were not presented; their hash is the one they stand for.
 */
final class TokenHash {

    private static final String PLACEHOLDER = "#sha256:";

    private TokenHash() {
    }

    /** What a stored grant carries in place of a token value (never a usable token). */
    static String placeholder(String tokenValue) {
        return PLACEHOLDER + ofHeld(tokenValue);
    }

    /**
     * The hash of a token held by a grant: of its value, or the one its placeholder stands for. Only for tokens
     * the server holds; a value presented by a caller is hashed with {@link #of}, so that a placeholder sent
     * in is just another unknown token.
     */
    static String ofHeld(String tokenValue) {
        return tokenValue != null && tokenValue.startsWith(PLACEHOLDER) ? tokenValue.substring(PLACEHOLDER.length())
                : of(tokenValue);
    }

    /** The hash of a token value. */
    static String of(String tokenValue) {
        if (tokenValue == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(tokenValue.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
