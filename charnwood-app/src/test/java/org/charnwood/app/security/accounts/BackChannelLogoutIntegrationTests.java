package org.charnwood.app.security.accounts;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.StandInIdentityProvider;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenID Connect back-channel logout from the federated providers ends the person's sessions here. */
class BackChannelLogoutIntegrationTests extends CharnwoodIntegrationTest {

    private static final StandInIdentityProvider PROVIDER = StandInIdentityProvider.get();

    private String base() {
        return "http://localhost:" + port;
    }

    /** A staff member signed in through the CIS2-style provider; answers their subject there. */
    private String staffSignedIn(HttpClient browser) {
        String subject = "cis2-" + UUID.randomUUID();
        PROVIDER.nextUser(Map.of("sub", subject,
                "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001"))));
        HttpResponse<String> start = tokens.get(browser, base() + "/oauth2/authorization/cis2");
        HttpResponse<String> atProvider = tokens.get(browser, start.headers().firstValue("Location").orElseThrow());
        tokens.get(browser, atProvider.headers().firstValue("Location").orElseThrow());
        return subject;
    }

    private int logout(String registrationId, String token) {
        return tokens.postForm(HttpClient.newHttpClient(), base() + "/signin/backchannel-logout/" + registrationId,
                Map.of("logout_token", token), false).statusCode();
    }

    private int staffPage(HttpClient browser) {
        return tokens.get(browser, base() + "/staff/patients").statusCode();
    }

    @Test
    void aLogoutFromTheProviderEndsThePersonsSessionsHere() {
        HttpClient browser = TestTokens.browser();
        String subject = staffSignedIn(browser);
        int before = staffPage(browser);

        int status = logout("cis2", PROVIDER.logoutToken("charnwood-cis2", subject, Instant.now()));

        assertThat(before).isEqualTo(200);
        assertThat(status).isEqualTo(200);
        assertThat(staffPage(browser)).as("signed out: sent to sign in").isEqualTo(302);
    }

    @Test
    void aLogoutForSomeoneElseLeavesTheSessionAlone() {
        HttpClient browser = TestTokens.browser();
        staffSignedIn(browser);

        int status = logout("cis2", PROVIDER.logoutToken("charnwood-cis2", "cis2-someone-else", Instant.now()));

        assertThat(status).isEqualTo(200);
        assertThat(staffPage(browser)).isEqualTo(200);
    }

    @Test
    void logoutTokensThatAreForgedStaleReplayedOrForAnotherClientAreRefused() {
        HttpClient browser = TestTokens.browser();
        String subject = staffSignedIn(browser);
        String good = PROVIDER.logoutToken("charnwood-cis2", subject, Instant.now());
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        assertThat(logout("cis2", forged)).isEqualTo(400);
        assertThat(logout("cis2", PROVIDER.logoutToken("charnwood-cis2", subject, Instant.now().minusSeconds(600))))
                .isEqualTo(400);
        assertThat(logout("cis2", PROVIDER.logoutToken("another-client", subject, Instant.now()))).isEqualTo(400);
        assertThat(logout("nhs-login", PROVIDER.logoutToken("charnwood-cis2", subject, Instant.now())))
                .as("signed RS256 for the staff provider, so not an NHS login token").isEqualTo(400);
        assertThat(logout("nobody", good)).isEqualTo(400);
        assertThat(staffPage(browser)).isEqualTo(200);
        assertThat(logout("cis2", good)).isEqualTo(200);
        assertThat(logout("cis2", good)).as("replayed").isEqualTo(400);
    }
}
