package org.charnwood.app.security.oauth;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trust's own key server on its network is fetched from when settings name its host in
 * {@code charnwood.security.jwks-uri-internal-hosts}, as a test names its stand-in; other internal hosts stay
 * refused.
 */
class KeySetFetchFromAnAllowedInternalHostIntegrationTests extends CharnwoodIntegrationTest {

    @DynamicPropertySource
    static void allowThisMachine(DynamicPropertyRegistry registry) {
        registry.add("charnwood.security.jwks-uri-internal-hosts",
                () -> "keys.trust.example, " + hostName().toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void keysAtANamedInternalHostAreFetchedFromTheAddressChecked() throws Exception {
        try (var keyServer = new KeySetFetchIntegrationTests.StandInKeyServer()) {
            KeySetFetchIntegrationTests.register(http, tokens, "keys-on-site", keyServer.jwksUri());

            var token = KeySetFetchIntegrationTests.tokenRequest(http, port, "keys-on-site");

            // The stand-in speaks no TLS, so the token is still refused; what matters is that the fetch was made.
            assertThat(token.status()).as(token.body()).isEqualTo(401);
            assertThat(keyServer.connections.get()).isPositive();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
