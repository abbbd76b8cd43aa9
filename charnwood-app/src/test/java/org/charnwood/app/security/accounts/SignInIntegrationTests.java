package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.RecordedSecurityEvents;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in on the server's own pages: passwords, lockout, the TOTP second factor and session timeouts. */
class SignInIntegrationTests extends CharnwoodIntegrationTest {

    private static final String PASSWORD = "a long and memorable passphrase";

    @Autowired
    AccountStore accounts;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    RecordedSecurityEvents events;

    @Autowired
    org.charnwood.app.security.web.SecuritySettings settings;

    @Autowired
    StaffSecondFactor secondFactor;

    private Account staff(String totpSecret, boolean totpRequired) {
        String id = "acct-" + UUID.randomUUID();
        Account account = new Account(id, "user-" + id, Requester.Kind.STAFF, "Test Nurse", passwords.encode(PASSWORD),
                "Practitioner/staff-021", null, null, Set.of(AccessRole.REGISTERED_NURSE), "RX1", totpSecret,
                totpRequired, 0, null, true);
        accounts.save(account);
        return account;
    }

    @Test
    void passwordsAreStoredAsArgon2idHashes() {
        Account account = staff(null, false);

        assertThat(accounts.byId(account.id()).passwordHash()).startsWith("{argon2}$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void aHashWithTheOldArgon2ParametersStillSignsInAndIsUpgraded() {
        String id = "acct-" + UUID.randomUUID();
        String oldHash = "{argon2}" + org.springframework.security.crypto.argon2.Argon2PasswordEncoder
                .defaultsForSpringSecurity_v5_8().encode(PASSWORD);
        accounts.save(new Account(id, "user-" + id, Requester.Kind.STAFF, "Test Nurse", oldHash,
                "Practitioner/staff-021", null, null, Set.of(AccessRole.REGISTERED_NURSE), "RX1", null, false, 0, null,
                true));

        String next = tokens.signIn(TestTokens.browser(), "user-" + id, PASSWORD);
        String upgraded = accounts.byId(id).passwordHash();
        String again = tokens.signIn(TestTokens.browser(), "user-" + id, PASSWORD);

        assertThat(oldHash).contains("$m=16384,t=2,p=1$");
        assertThat(next).endsWith("/signin/done");
        assertThat(upgraded).startsWith("{argon2}$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(again).endsWith("/signin/done");
        assertThat(accounts.byId(id).passwordHash()).isEqualTo(upgraded);
    }

    @Test
    void aRightPasswordSignsInAndIsRecordedForTheAuditTrail() {
        Account account = staff(null, false);

        String next = tokens.signIn(TestTokens.browser(), account.username(), PASSWORD);

        assertThat(next).endsWith("/signin/done");
        SignInRecorded recorded = events.signIns(account.username()).getLast();
        assertThat(recorded.succeeded()).isTrue();
        assertThat(recorded.requester().subject()).isEqualTo(account.id());
        assertThat(recorded.requester().fhirUser()).isEqualTo("Practitioner/staff-021");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        Account account = staff(null, false);

        String wrongPassword = tokens.signIn(TestTokens.browser(), account.username(), "not it");
        String unknownUser = tokens.signIn(TestTokens.browser(), "nobody-" + UUID.randomUUID(), PASSWORD);

        assertThat(wrongPassword).endsWith("/signin?error");
        assertThat(unknownUser).endsWith("/signin?error");
        assertThat(events.signIns(account.username()).getLast().failureReason()).isEqualTo("bad credentials");
    }

    @Test
    void anAccountLocksAfterFiveFailuresAndUnlocksAfterTheLockoutPeriod() {
        Account account = staff(null, false);
        for (int i = 0; i < 5; i++) {
            tokens.signIn(TestTokens.browser(), account.username(), "guess " + i);
        }

        String whileLocked = tokens.signIn(TestTokens.browser(), account.username(), PASSWORD);
        clock.advance(Duration.ofMinutes(16));
        String afterwards = tokens.signIn(TestTokens.browser(), account.username(), PASSWORD);

        assertThat(whileLocked).endsWith("/signin?error");
        assertThat(events.signIns(account.username()).get(5).failureReason()).isEqualTo("account locked");
        assertThat(afterwards).endsWith("/signin/done");
        assertThat(accounts.byId(account.id()).failedAttempts()).isZero();
    }

    @Test
    void afterALockRunsOutOneWrongGuessDoesNotLockTheAccountAgain() {
        Account account = staff(null, false);
        for (int i = 0; i < 5; i++) {
            tokens.signIn(TestTokens.browser(), account.username(), "guess " + i);
        }
        clock.advance(Duration.ofMinutes(16));

        tokens.signIn(TestTokens.browser(), account.username(), "one more guess");
        Account afterOneGuess = accounts.byId(account.id());
        String rightPassword = tokens.signIn(TestTokens.browser(), account.username(), PASSWORD);

        assertThat(afterOneGuess.failedAttempts()).isEqualTo(1);
        assertThat(afterOneGuess.lockedAt(clock.instant())).isFalse();
        assertThat(rightPassword).endsWith("/signin/done");
    }

    @Test
    void twoWrongPasswordsAtTheSameTimeBothCount() throws Exception {
        Account account = staff(null, false);
        java.time.Instant now = clock.instant();
        java.time.Instant lockUntil = now.plus(Duration.ofMinutes(15));

        // The first failure is recorded in a transaction held open while the second is recorded from another
        // thread, whose update has to wait for the row; only then does the first commit.
        tx.executeWithoutResult(status -> {
            accounts.recordFailure(account.id(), 5, now, lockUntil);
            second.set(java.util.concurrent.CompletableFuture.runAsync(
                    () -> accounts.recordFailure(account.id(), 5, now, lockUntil)));
            waitUntilAnotherTransactionWaitsForThisOne();
        });
        second.get().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(accounts.byId(account.id()).failedAttempts()).isEqualTo(2);
    }

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> second =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Polls PostgreSQL's lock table until some other transaction is waiting on the current one. */
    private void waitUntilAnotherTransactionWaitsForThisOne() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbc.queryForObject("""
                select count(*) from pg_locks where not granted and locktype = 'transactionid'
                   and transactionid::text = pg_current_xact_id()::text""", Integer.class) == 0) {
            assertThat(System.nanoTime()).as("the second update waits for the first").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void disabledAndLockedAccountsAreCheckedAgainstTheirHashLikeAnyOther() {
        // The check that costs the time (Argon2) happens whatever the account's state, so refusing a disabled or
        // locked account takes as long as refusing a wrong password.
        Account disabled = staff(null, false);
        accounts.save(new Account(disabled.id(), disabled.username(), disabled.kind(), disabled.displayName(),
                disabled.passwordHash(), disabled.fhirUser(), null, null, disabled.roles(), "RX1", null, false, 0, null,
                false));
        Account locked = staff(null, false);
        accounts.save(new Account(locked.id(), locked.username(), locked.kind(), locked.displayName(),
                locked.passwordHash(), locked.fhirUser(), null, null, locked.roles(), "RX1", null, false, 5,
                clock.instant().plus(Duration.ofMinutes(10)), true));
        java.util.List<String> hashesChecked = new java.util.ArrayList<>();
        PasswordEncoder counting = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return passwords.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                hashesChecked.add(encoded);
                return passwords.matches(raw, encoded);
            }
        };
        SignInService service = new SignInService(accounts, counting, e -> { }, settings, secondFactor, clock);
        hashesChecked.clear();

        var disabledAnswer = service.checkPassword(disabled.username(), "a guess", "127.0.0.1");
        var lockedAnswer = service.checkPassword(locked.username(), "a guess", "127.0.0.1");

        assertThat(disabledAnswer).isInstanceOf(SignInService.Outcome.Refused.class);
        assertThat(lockedAnswer).isInstanceOf(SignInService.Outcome.Refused.class);
        assertThat(hashesChecked).containsExactly(disabled.passwordHash(), locked.passwordHash());
    }

    @Test
    void staffWithASecondFactorMustGiveTheCodeFromTheirAuthenticator() {
        String secret = Totp.newSecret();
        Account account = staff(secret, true);
        HttpClient browser = TestTokens.browser();

        String afterPassword = tokens.signIn(browser, account.username(), PASSWORD);
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/second-factor").body();
        String wrong = postCode(browser, page, "000000".equals(Totp.code(secret, clock.instant())) ? "111111" : "000000");
        page = tokens.get(browser, "http://localhost:" + port + "/signin/second-factor").body();
        String right = postCode(browser, page, Totp.code(secret, clock.instant()));

        assertThat(afterPassword).endsWith("/signin/second-factor");
        assertThat(wrong).endsWith("/signin/second-factor?error");
        assertThat(right).endsWith("/signin/done");
    }

    @Test
    void aCodeThatSignedSomeoneInCannotSignInAgain() {
        String secret = Totp.newSecret();
        Account account = staff(secret, true);
        String code = Totp.code(secret, clock.instant());

        HttpClient first = TestTokens.browser();
        tokens.signIn(first, account.username(), PASSWORD);
        String used = postCode(first, tokens.get(first, "http://localhost:" + port + "/signin/second-factor").body(), code);
        // Someone who has the password and saw the code uses it again within its 30 seconds.
        HttpClient second = TestTokens.browser();
        tokens.signIn(second, account.username(), PASSWORD);
        String replayed = postCode(second, tokens.get(second, "http://localhost:" + port + "/signin/second-factor").body(),
                code);
        clock.advance(Duration.ofSeconds(30));
        HttpClient third = TestTokens.browser();
        tokens.signIn(third, account.username(), PASSWORD);
        String next = postCode(third, tokens.get(third, "http://localhost:" + port + "/signin/second-factor").body(),
                Totp.code(secret, clock.instant()));

        assertThat(used).endsWith("/signin/done");
        assertThat(replayed).endsWith("/signin/second-factor?error");
        assertThat(events.signIns(account.username())).anyMatch(e -> "second factor already used".equals(e.failureReason()));
        assertThat(next).endsWith("/signin/done");
    }

    @Test
    void staffEnrolTheirAuthenticatorFromTheOtpauthUriOnFirstSignIn() {
        Account account = staff(null, true);
        HttpClient browser = TestTokens.browser();

        tokens.signIn(browser, account.username(), PASSWORD);
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/second-factor").body();
        String uri = page.replaceAll("(?s).*id=\"totp-uri\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        String secret = TestTokens.query(uri).get("secret");
        String next = postCode(browser, page, Totp.code(secret, clock.instant()));

        assertThat(uri).as("labelled with the username its owner signs in with, not the account's internal id")
                .startsWith("otpauth://totp/Charnwood%3A" + account.username() + "?");
        assertThat(next).endsWith("/signin/done");
        assertThat(accounts.byId(account.id()).totpSecret()).isEqualTo(secret);
    }

    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnlyBeforeAndAfterSigningIn() {
        Account account = staff(null, false);
        String base = "http://localhost:" + port;
        // A browser that keeps its cookies but lets the test read each Set-Cookie as the server wrote it.
        HttpClient browser = TestTokens.browser();
        var signInPage = tokens.get(browser, base + "/signin");
        var signedIn = tokens.postForm(browser, base + "/signin", Map.of("username", account.username(),
                "password", PASSWORD, "_csrf", TestTokens.csrf(signInPage.body())), true);

        java.util.List<String> cookies = new java.util.ArrayList<>(signInPage.headers().allValues("Set-Cookie"));
        cookies.addAll(signedIn.headers().allValues("Set-Cookie"));
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/signin/done"));
        assertThat(cookies).hasSizeGreaterThanOrEqualTo(2).allSatisfy(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").containsIgnoringCase("; SameSite=Lax").containsIgnoringCase("; HttpOnly"));
    }

    @Test
    void aSessionIdPlantedBeforeThePasswordCannotFinishTheSignInNorReadTheNewSecret() {
        Account account = staff(null, true);
        String base = "http://localhost:" + port;
        java.net.CookieManager plantedCookies = new java.net.CookieManager();
        HttpClient attacker = HttpClient.newBuilder().cookieHandler(plantedCookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        tokens.get(attacker, base + "/signin");
        // The same session cookie, planted in the victim's browser (a sibling site, or a plain-http answer).
        java.net.CookieManager victimCookies = new java.net.CookieManager();
        plantedCookies.getCookieStore().getCookies()
                .forEach(c -> victimCookies.getCookieStore().add(java.net.URI.create(base), c));
        HttpClient victim = HttpClient.newBuilder().cookieHandler(victimCookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();

        String afterPassword = tokens.signIn(victim, account.username(), PASSWORD);
        var attackersView = tokens.get(attacker, base + "/signin/second-factor");
        var victimsView = tokens.get(victim, base + "/signin/second-factor");

        assertThat(plantedCookies.getCookieStore().getCookies()).isNotEmpty();
        assertThat(afterPassword).endsWith("/signin/second-factor");
        assertThat(attackersView.statusCode()).isEqualTo(303);
        assertThat(attackersView.body()).doesNotContain("totp-secret");
        assertThat(victimsView.body()).contains("id=\"totp-secret\"");
    }

    @Test
    void aSessionIdleForLongerThanTheIdleTimeoutEndsAndIsRecordedAsTimedOut() {
        Account account = staff(null, false);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account.username(), PASSWORD);

        int whileActive = tokens.get(browser, "http://localhost:" + port + "/signin/done").statusCode();
        clock.advance(Duration.ofMinutes(16));
        var afterIdle = tokens.get(browser, "http://localhost:" + port + "/signin/done");

        assertThat(whileActive).isEqualTo(200);
        assertThat(afterIdle.statusCode()).isEqualTo(302);
        assertThat(afterIdle.headers().firstValue("Location").orElseThrow()).endsWith("/signin");
        assertThat(events.signOuts(account.id())).singleElement().satisfies(e -> assertThat(e.timedOut()).isTrue());
    }

    @Test
    void anAppsAuthorisationRequestFromAnIdleSessionGoesToSignInAgain() {
        Account account = staff(null, false);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account.username(), PASSWORD);
        tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid fhirUser", null);

        clock.advance(Duration.ofMinutes(16));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid fhirUser", null))
                .hasMessageEndingWith("/signin");
        assertThat(events.signOuts(account.id())).singleElement().satisfies(e -> assertThat(e.timedOut()).isTrue());
    }

    @Test
    void aSecondFactorStepLeftLongerThanAnIdleSessionMustStartAgain() {
        String secret = Totp.newSecret();
        Account account = staff(secret, true);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account.username(), PASSWORD);
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/second-factor").body();

        clock.advance(Duration.ofMinutes(16));
        var later = tokens.get(browser, "http://localhost:" + port + "/signin/second-factor");
        String afterCode = postCode(browser, page, Totp.code(secret, clock.instant()));

        assertThat(later.statusCode()).isEqualTo(303);
        assertThat(afterCode).endsWith("/signin");
        assertThat(events.signIns(account.username())).noneMatch(SignInRecorded::succeeded);
    }

    @Test
    void aSessionEndsAfterTheAbsoluteTimeoutEvenWhenInUse() {
        Account account = staff(null, false);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account.username(), PASSWORD);

        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofMinutes(14));
            if (tokens.get(browser, "http://localhost:" + port + "/signin/done").statusCode() != 200) {
                break;
            }
        }

        assertThat(clock.instant()).isAfter(java.time.Instant.now().plus(Duration.ofHours(11)));
        assertThat(tokens.get(browser, "http://localhost:" + port + "/signin/done").statusCode()).isEqualTo(302);
        assertThat(events.signOuts(account.id())).singleElement().satisfies(e -> assertThat(e.timedOut()).isTrue());
    }

    @Test
    void signingOutEndsTheSessionAndIsRecorded() {
        Account account = staff(null, false);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account.username(), PASSWORD);
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/done").body();

        var out = tokens.postForm(browser, "http://localhost:" + port + "/signout", Map.of("_csrf", csrf(page)), true);

        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(tokens.get(browser, "http://localhost:" + port + "/signin/done").statusCode()).isEqualTo(302);
        assertThat(events.signOuts(account.id())).singleElement().satisfies(e -> assertThat(e.timedOut()).isFalse());
    }

    @Test
    void theOnlySignOutIsTheRecordedOne() {
        Account account = staff(null, false);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account.username(), PASSWORD);
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/done").body();

        var springsOwn = tokens.postForm(browser, "http://localhost:" + port + "/logout", Map.of("_csrf", csrf(page)),
                true);

        assertThat(springsOwn.headers().firstValue("Location")).isEmpty();
        assertThat(tokens.get(browser, "http://localhost:" + port + "/signin/done").statusCode()).isEqualTo(200);
        assertThat(events.signOuts(account.id())).isEmpty();
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        Account account = staff(null, false);
        HttpClient browser = TestTokens.browser();
        tokens.get(browser, "http://localhost:" + port + "/signin");

        var r = tokens.postForm(browser, "http://localhost:" + port + "/signin",
                Map.of("username", account.username(), "password", PASSWORD), true);

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void signInPagesCarryTheSecureHeaders() {
        var r = tokens.get(TestTokens.browser(), "http://localhost:" + port + "/signin");

        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.body()).contains("<label class=\"nhsuk-label\" for=\"password\">");
    }

    private String postCode(HttpClient browser, String page, String code) {
        return tokens.postForm(browser, "http://localhost:" + port + "/signin/second-factor",
                Map.of("code", code, "_csrf", csrf(page)), true).headers().firstValue("Location").orElse("");
    }

    private static String csrf(String html) {
        return html.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
    }
}
