package org.charnwood.app.security.oauth;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A key server's answer is read by a deadline and with bounded headers, so a server that trickles its answer a
 * byte at a time, or sends headers without end, cannot hold a sign-in for longer than the whole fetch is allowed.
 */
class KeySetResponseLimitsTests {

    private static final String KEYS = "{\"keys\":[]}";

    /** Hands out one byte of the answer at a time, each well within the per-read timeout but slowly. */
    private static InputStream trickling(String answer, Duration perByte) {
        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        return new InputStream() {
            private int next;

            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(perByte);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                return next < bytes.length ? bytes[next++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    @Test
    void anAnswerInTimeIsRead() throws IOException {
        String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + KEYS.length()
                + "\r\n\r\n" + KEYS;

        var read = KeySetFetcher.HttpResponse.read(new ByteArrayInputStream(
                answer.getBytes(StandardCharsets.ISO_8859_1)), in(KeySetFetcher.DEADLINE));

        assertThat(read.getContent()).isEqualTo(KEYS);
    }

    @Test
    void anAnswerTrickledPastTheDeadlineIsRefused() {
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: " + KEYS.length() + "\r\n\r\n" + KEYS;
        long started = System.nanoTime();

        assertThatThrownBy(() -> KeySetFetcher.HttpResponse.read(trickling(answer, Duration.ofMillis(20)),
                in(Duration.ofMillis(300))))
                .isInstanceOf(IOException.class).hasMessageContaining("did not answer within");
        // Refused at the deadline, not when the server chose to finish.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
    }

    @Test
    void aBodyTrickledPastTheDeadlineIsRefused() {
        InputStream answer = new java.io.SequenceInputStream(
                new ByteArrayInputStream("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                trickling("x".repeat(200), Duration.ofMillis(20)));

        assertThatThrownBy(() -> KeySetFetcher.HttpResponse.read(answer, in(Duration.ofMillis(300))))
                .isInstanceOf(IOException.class).hasMessageContaining("did not answer within");
    }

    @Test
    void tooManyHeadersAreRefused() {
        String answer = "HTTP/1.1 200 OK\r\n" + "X-Padding: 1\r\n".repeat(KeySetFetcher.HttpResponse.MAX_HEADERS + 1)
                + "\r\n" + KEYS;

        assertThatThrownBy(() -> KeySetFetcher.HttpResponse.read(new ByteArrayInputStream(
                answer.getBytes(StandardCharsets.ISO_8859_1)), in(KeySetFetcher.DEADLINE)))
                .isInstanceOf(IOException.class).hasMessageContaining("more than 100 headers");
    }

    @Test
    void headersLargerInAllThanTheLimitAreRefused() {
        String answer = "HTTP/1.1 200 OK\r\n" + ("X-Padding: " + "p".repeat(4000) + "\r\n").repeat(5) + "\r\n" + KEYS;

        assertThatThrownBy(() -> KeySetFetcher.HttpResponse.read(new ByteArrayInputStream(
                answer.getBytes(StandardCharsets.ISO_8859_1)), in(KeySetFetcher.DEADLINE)))
                .isInstanceOf(IOException.class).hasMessageContaining("bytes of headers");
    }
}
