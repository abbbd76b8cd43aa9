package org.charnwood.app.security.accounts;

import org.charnwood.app.security.Requester;
import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;

/**
 * Checks what a person typed to sign in: password against the Argon2id hash, then (for staff) the TOTP code,
 * locking the account after too many failures in a row. Every attempt, good or bad, is published as a
 * {@link SignInRecorded} for the audit trail. A person whose password an administrator gave them is asked to
 * choose their own before the sign-in is finished. Answers are deliberately the same for an unknown username and a
 * wrong password, so the page cannot be used to find out who has an account.
 */
@Service
public class SignInService {

    /** The outcome of the password step. */
    public sealed interface Outcome {
        /** Signed in fully. */
        record SignedIn(SignedInPerson person) implements Outcome {
        }

        /** Password right; the second factor is still needed (and {@code enrolled} says whether it is set up). */
        record SecondFactorNeeded(Account account, boolean enrolled) implements Outcome {
        }

        /**
         * Password (and second factor) right, but the password is one an administrator gave: the person chooses
         * their own ({@link InitialPasswordChange}) before the sign-in is finished. {@code given} stands for the
         * password they signed in with, so that the change cannot replace a newer one an administrator set meanwhile.
         */
        record NewPasswordNeeded(SignedInPerson person, PasswordFingerprint given) implements Outcome {
        }

        /** Refused, with the reason recorded for the audit trail (not shown to the person in detail). */
        record Refused(String reason) implements Outcome {
        }
    }

    /** A hash of a random password: verifying unknown usernames against it costs as much as a real check. */
    private final String decoyHash;
    private final AccountStore accounts;
    private final PasswordEncoder passwords;
    private final ApplicationEventPublisher events;
    private final SecuritySettings settings;
    private final StaffSecondFactor secondFactor;
    private final Clock clock;

    public SignInService(AccountStore accounts, PasswordEncoder passwords, ApplicationEventPublisher events,
                         SecuritySettings settings, StaffSecondFactor secondFactor, Clock clock) {
        this.accounts = accounts;
        this.secondFactor = secondFactor;
        this.passwords = passwords;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.decoyHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }

    public Outcome checkPassword(String username, String password, String address) {
        Instant now = clock.instant();
        Account account = username == null ? null : accounts.byUsername(username.trim());
        if (account == null || account.passwordHash() == null) {
            passwords.matches(password == null ? "" : password, decoyHash);
            return refuse(username, "unknown account", address, now);
        }
        // Verified before the account's state is looked at, and whatever it is, so a disabled or locked account
        // takes as long to refuse as a wrong password or an unknown username (which is checked against the decoy):
        // the time of the answer does not tell whether a username exists.
        boolean matches = passwords.matches(password == null ? "" : password, account.passwordHash());
        if (!account.enabled()) {
            return refuse(username, "account disabled", address, now);
        }
        if (account.lockedAt(now)) {
            return refuse(username, "account locked", address, now);
        }
        if (password == null || !matches) {
            fail(account, now);
            return refuse(username, "bad credentials", address, now);
        }
        if (passwords.upgradeEncoding(account.passwordHash())) {
            // Made with weaker Argon2 parameters than today's: the password is known now, so hash it again.
            accounts.updatePasswordHash(account.id(), passwords.encode(password));
            account = accounts.byId(account.id());
        }
        if (secondFactor.requiredFor(account)) {
            return new Outcome.SecondFactorNeeded(account, account.totpSecret() != null);
        }
        return succeed(account, address, now);
    }

    /** The second step: the code from the authenticator app, against the enrolled (or being enrolled) secret. */
    public Outcome checkSecondFactor(String accountId, String secret, String code, String address) {
        Instant now = clock.instant();
        Account account = accounts.byId(accountId);
        if (account == null || !account.enabled()) {
            return refuse(null, "unknown account", address, now);
        }
        if (account.lockedAt(now)) {
            return refuse(account.username(), "account locked", address, now);
        }
        String expected = account.totpSecret() != null ? account.totpSecret() : secret;
        java.util.OptionalLong step = Totp.step(expected, code, now);
        if (step.isEmpty()) {
            fail(account, now);
            return refuse(account.username(), "second factor wrong", address, now);
        }
        if (!accounts.takeTotpStep(account.id(), step.getAsLong())) {
            fail(account, now);
            return refuse(account.username(), "second factor already used", address, now);
        }
        if (account.totpSecret() == null) {
            accounts.enrolTotp(account.id(), secret);
        }
        return succeed(account, address, now);
    }

    /** Publishes a sign-in made elsewhere (a federated provider), for the same audit record. */
    public void recordFederated(SignedInPerson person, String address) {
        events.publishEvent(new SignInRecorded(person.asRequester(address), person.username(), true, null,
                person.authenticatedAt()));
    }

    private void fail(Account account, Instant now) {
        accounts.recordFailure(account.id(), settings.lockout().maxAttempts(), now,
                now.plus(settings.lockout().duration()));
    }

    private Outcome succeed(Account account, String address, Instant now) {
        accounts.recordSuccess(account.id());
        SignedInPerson person = account.signedIn(now, null);
        events.publishEvent(new SignInRecorded(person.asRequester(address), account.username(), true, null, now));
        if (account.passwordChangeRequired()) {
            return new Outcome.NewPasswordNeeded(person, PasswordFingerprint.of(account.passwordHash()));
        }
        return new Outcome.SignedIn(person);
    }

    private Outcome refuse(String username, String reason, String address, Instant now) {
        events.publishEvent(new SignInRecorded(Requester.anonymous(address), username, false, reason, now));
        return new Outcome.Refused(reason);
    }
}
