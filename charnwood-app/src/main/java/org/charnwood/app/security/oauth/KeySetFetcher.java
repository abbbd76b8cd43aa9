package org.charnwood.app.security.oauth;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import org.springframework.stereotype.Component;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Fetches a client's key set from its {@code jwksUri} for {@code private_key_jwt}. The host is resolved here and
 * the fetch refused if any address it resolves to is internal ({@link InternalAddresses}) and the host is not
 * allowed to be ({@link KeySetAddressRules}); the connection then goes to the address that was checked, so a name
 * that resolves differently a moment later (DNS rebinding) reaches nothing new. TLS still checks the certificate
 * against the host name. Redirects are not followed, since they could lead anywhere.
 */
@Component
class KeySetFetcher implements ResourceRetriever {

    /** A key set is a few kilobytes; the same limit as the JOSE library's own fetcher. */
    static final int SIZE_LIMIT = 51_200;
    private static final int TIMEOUT_MILLIS = 2_000;
    /**
     * The whole fetch, connecting to the last byte: the per-read timeout alone lets a server that sends a byte
     * every second or so hold a sign-in (and its thread) for as long as it likes.
     */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private final KeySetAddressRules rules;

    KeySetFetcher(KeySetAddressRules rules) {
        this.rules = rules;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !(scheme.equals("http") && rules.localAllowed())) {
            throw new IOException("jwksUri must use https");
        }
        String host = KeySetAddressRules.normalHost(url.getHost());
        int port = url.getPort() == -1 ? url.getDefaultPort() : url.getPort();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        InetAddress address = checkedAddress(url.getHost(), host);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            Socket socket = tls ? secured(plain, host, port) : plain;
            String path = url.getFile().isEmpty() ? "/" : url.getFile();
            String hostHeader = url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: application/jwk-set+json, "
                    + "application/json\r\nUser-Agent: Charnwood\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return HttpResponse.read(socket.getInputStream(), deadline);
        }
    }

    /**
     * The first address the host resolves to, once every address it resolves to is checked: a name with one
     * internal address among public ones is refused too, as the resolver may hand out any of them.
     */
    private InetAddress checkedAddress(String hostAsWritten, String host) throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        if (!rules.internalAllowed(hostAsWritten)) {
            for (InetAddress a : addresses) {
                if (InternalAddresses.internal(a)) {
                    throw new IOException("jwksUri host " + host + " resolves to an internal address ("
                            + a.getHostAddress() + "), which this server will not fetch keys from");
                }
            }
        }
        return addresses[0];
    }

    private static Socket secured(Socket plain, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /**
     * Just enough HTTP/1.1 to read one response: status 200, a length, chunks or the rest of the stream, all by a
     * deadline and with a bounded number and size of headers.
     */
    static final class HttpResponse {

        /** Header lines read before the answer is refused: a key set's server sends a dozen or so. */
        static final int MAX_HEADERS = 100;
        /** Bytes of status line and headers read before the answer is refused. */
        static final int MAX_HEADER_BYTES = 16 * 1024;

        private final InputStream in;
        private final long deadline;
        /** Bytes of status line and headers read so far. */
        private int headerBytes;

        private HttpResponse(InputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        /**
         * Reads one response from {@code in}, refusing it once {@link System#nanoTime()} passes {@code deadline}.
         */
        static Resource read(InputStream in, long deadline) throws IOException {
            return new HttpResponse(in, deadline).read();
        }

        private Resource read() throws IOException {
            String status = headerLine();
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("jwksUri did not answer with HTTP");
            }
            if (!parts[1].equals("200")) {
                throw new IOException("jwksUri answered " + parts[1] + ", not 200");
            }
            String contentType = null;
            long length = -1;
            boolean chunked = false;
            int headers = 0;
            for (String header = headerLine(); !header.isEmpty(); header = headerLine()) {
                if (++headers > MAX_HEADERS) {
                    throw new IOException("jwksUri answered with more than " + MAX_HEADERS + " headers");
                }
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                switch (name) {
                    case "content-type" -> contentType = value;
                    case "content-length" -> length = parseLength(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    default -> {
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = parseChunkSize(line()); size > 0; size = parseChunkSize(line())) {
                    copy(body, size);
                    line();
                }
            } else if (length >= 0) {
                copy(body, length);
            } else {
                copy(body, Long.MAX_VALUE);
            }
            return new Resource(body.toString(StandardCharsets.UTF_8), contentType);
        }

        private static long parseLength(String value) throws IOException {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IOException("jwksUri answered with a bad Content-Length");
            }
        }

        private static long parseChunkSize(String line) throws IOException {
            int extension = line.indexOf(';');
            try {
                return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("jwksUri answered with a bad chunk");
            }
        }

        /** Copies up to {@code count} bytes (all that is left when the stream ends first), within the size limit. */
        private void copy(ByteArrayOutputStream body, long count) throws IOException {
            byte[] buffer = new byte[8192];
            long left = count;
            while (left > 0) {
                requireInTime();
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    if (count != Long.MAX_VALUE) {
                        throw new IOException("jwksUri answer ended early");
                    }
                    return;
                }
                if (body.size() + n > SIZE_LIMIT) {
                    throw new IOException("jwksUri answer is larger than " + SIZE_LIMIT + " bytes");
                }
                body.write(buffer, 0, n);
                left -= n;
            }
        }

        /** The status line or a header line, counted against {@link #MAX_HEADER_BYTES}. */
        private String headerLine() throws IOException {
            String line = line();
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("jwksUri answered with more than " + MAX_HEADER_BYTES + " bytes of headers");
            }
            return line;
        }

        /** A line ending in CRLF (or LF), without its ending; headers are kept short. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = nextByte(); c != '\n'; c = nextByte()) {
                if (c < 0) {
                    throw new IOException("jwksUri answer ended early");
                }
                if (line.length() > 8192) {
                    throw new IOException("jwksUri answered with an overlong line");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private int nextByte() throws IOException {
            requireInTime();
            return in.read();
        }

        private void requireInTime() throws IOException {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("jwksUri did not answer within " + DEADLINE.toSeconds() + " seconds");
            }
        }
    }
}
