package org.charnwood.app.security.accounts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTests {

    /** RFC 6238 appendix B: the SHA-1 key is the ASCII of "12345678901234567890". */
    private static final String RFC_SECRET = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void matchesTheRfc6238TestVectors() {
        // The RFC lists 8-digit codes; 6-digit codes are their last six digits.
        assertThat(Totp.code(RFC_SECRET, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
        assertThat(Totp.code(RFC_SECRET, Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
    }

    @Test
    void acceptsTheCodeOfTheNeighbouringStepForClockDriftButNoFurther() {
        Instant now = Instant.ofEpochSecond(1_700_000_000);
        String secret = Totp.newSecret();

        assertThat(Totp.verify(secret, Totp.code(secret, now.minusSeconds(30)), now)).isTrue();
        assertThat(Totp.verify(secret, Totp.code(secret, now.plusSeconds(30)), now)).isTrue();
        assertThat(Totp.verify(secret, Totp.code(secret, now.minusSeconds(90)), now)).isFalse();
        assertThat(Totp.verify(secret, "12345", now)).isFalse();
    }

    @Test
    void base32RoundTrips() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 42, 7, 99, (byte) 0x80, 5, 6};

        assertThat(Totp.base32Decode(Totp.base32(bytes))).startsWith(bytes);
    }

    @Test
    void theEnrolmentUriNamesTheIssuerAndAccount() {
        assertThat(Totp.enrolmentUri("Charnwood", "nurse.jones", "ABC"))
                .isEqualTo("otpauth://totp/Charnwood%3Anurse.jones?secret=ABC&issuer=Charnwood&algorithm=SHA1&digits=6&period=30");
    }
}
