package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Launch ids kept in the database: by their hash only, for ten minutes, removed once expired, and given to one
 * token request however many race for them.
 */
class StoredLaunchesIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/staff-051",
            AccessRole.REGISTERED_NURSE);

    @Autowired
    LaunchContexts launches;

    private HttpClient signedInNurse() {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(NURSE), TestTokens.PASSWORD);
        return browser;
    }

    private long stored(String launch) {
        return jdbc.queryForObject("select count(*) from auth.smart_launch where launch_hash = ?", Long.class,
                TokenHash.of(launch));
    }

    @Test
    void theDatabaseHoldsOnlyTheHashOfALaunchId() {
        storePatientAndEncounter("patient-51", "encounter-51");
        String launch = tokens.mintLaunch(signedInNurse(), "patient-51", "encounter-51");

        assertThat(stored(launch)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from auth.smart_launch where launch_hash = ?", Long.class,
                launch)).isZero();
    }

    @Test
    void aLaunchIdIsRefusedAfterTenMinutesAndThenRemoved() {
        HttpClient nurse = signedInNurse();
        storePatientAndEncounter("patient-52", null);
        storePatientAndEncounter("patient-54", null);
        String launch = tokens.mintLaunch(nurse, "patient-52", null);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        String fresh = tokens.mintLaunch(nurse, "patient-54", null);

        assertThatThrownBy(() -> tokens.authorisationCode(nurse, TestTokens.TEST_APP, "launch openid user/*.rs",
                launch)).hasMessageContaining("400").hasMessageContaining("invalid_grant");
        launches.removeExpired();

        // The launch minted since is left, and still good.
        assertThat(stored(launch)).isZero();
        assertThat(stored(fresh)).isEqualTo(1);
        assertThat(tokens.authorisationCode(nurse, TestTokens.TEST_APP, "launch openid user/*.rs", fresh)
                .get("patient").asString()).isEqualTo("patient-54");
    }

    @Test
    void ofRequestsRacingWithOneLaunchIdOneGetsIt() throws Exception {
        String launch = launches.mint("patient-55", null, "account-55", "app-55");
        Callable<LaunchContexts.Launch> use = () -> launches.use(launch, "account-55", "app-55");

        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            List<Future<LaunchContexts.Launch>> answers = requests.invokeAll(IntStream.range(0, 8)
                    .mapToObj(i -> use).toList());
            long given = 0;
            for (Future<LaunchContexts.Launch> answer : answers) {
                given += answer.get() == null ? 0 : 1;
            }
            assertThat(given).isEqualTo(1);
        } finally {
            requests.shutdown();
        }
    }
}
