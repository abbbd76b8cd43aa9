package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestKeys;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A backend system's key set is fetched from its {@code jwksUri} only when every address the host name resolves
 * to is public: a name that passes registration but resolves to this machine or the trust's network is refused
 * when the keys are fetched, before anything is sent there.
 */
class KeySetFetchIntegrationTests extends CharnwoodIntegrationTest {

    static final TestTokens.Caller ADMIN = TestTokens.Caller.staff("Practitioner/staff-096",
            AccessRole.SYSTEM_ADMINISTRATOR).scopes("charnwood/admin.clients");

    /** A key server on this machine, reached by the machine's own name: it counts who connects. */
    static final class StandInKeyServer implements AutoCloseable {
        final String host;
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        StandInKeyServer() throws Exception {
            InetAddress self = InetAddress.getLocalHost();
            host = self.getHostName();
            assumeTrue(InternalAddresses.internal(InetAddress.getByName(host)),
                    "this machine's name resolves to a public address");
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
        }

        String jwksUri() {
            return "https://" + host + ":" + socket.getLocalPort() + "/jwks";
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private StandInKeyServer keyServer;

    @BeforeEach
    void startKeyServer() throws Exception {
        keyServer = new StandInKeyServer();
    }

    @AfterEach
    void stopKeyServer() throws Exception {
        keyServer.close();
    }

    @Test
    void keysAtANameResolvingToAnInternalAddressAreNotFetched() {
        var put = register(http, tokens, "keys-inside", keyServer.jwksUri());

        var token = tokenRequest(http, port, "keys-inside");

        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(token.status()).as(token.body()).isEqualTo(401);
        assertThat(token.body()).contains("invalid_client");
        assertThat(keyServer.connections.get()).isZero();
    }

    @Test
    void aLocalhostNameWithATrailingDotIsRefusedAtRegistration() {
        var put = register(http, tokens, "keys-dot", "https://localhost./jwks");

        assertThat(put.status()).as(put.body()).isEqualTo(400);
        assertThat(put.body()).contains("loopback");
    }

    static org.charnwood.app.testing.FhirHttp.Response register(org.charnwood.app.testing.FhirHttp http,
                                                               TestTokens tokens, String clientId, String jwksUri) {
        return http.as(tokens.bearer(ADMIN)).put("/api/admin/clients/" + clientId, """
                {"name": "Keys", "kind": "confidential-asymmetric", "jwksUri": "%s",
                 "scopes": ["system/Patient.rs"]}""".formatted(jwksUri), "application/json");
    }

    static org.charnwood.app.testing.FhirHttp.Response tokenRequest(org.charnwood.app.testing.FhirHttp http, int port,
                                                                   String clientId) {
        String assertion = TestKeys.clientAssertion(clientId, TestKeys.backendKey(),
                "http://localhost:" + port + "/oauth2/token");
        return http.anonymous().post("/oauth2/token", "grant_type=client_credentials&scope=system/Patient.rs"
                        + "&client_assertion_type=" + URLEncoder.encode(
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                        + "&client_assertion=" + assertion, "application/x-www-form-urlencoded");
    }
}
