package org.charnwood.app.security.accounts;

import org.charnwood.app.security.OwnPasswordChosen;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Locale;

/**
 * A person whose password an administrator gave them ({@code ./charnwood account add} or {@code password}) chooses
 * their own at the sign-in that follows, before reaching any page or authorising any app: the given password has
 * passed through the administrator's hands and whatever carried it to the person. The new one is checked (long
 * enough, not the given one, not the username, not one of the passwords guessed first: {@link PasswordStrength}),
 * hashed as every password is, and stored with its audit record in one transaction.
 */
@Service
public class InitialPasswordChange {

    /** NCSC guidance: length rather than composition rules; twelve characters leave room for a few words. */
    static final int MIN_LENGTH = 12;
    /** Long enough for any passphrase or password manager; bounds the work of hashing what is sent. */
    static final int MAX_LENGTH = 128;

    /** What came of a choice. */
    public sealed interface Result {
        /** Stored: the sign-in can be finished. */
        record Changed() implements Result {
        }

        /** Not acceptable: {@code problem} says what to fix, in the {@code field} the page shows it against. */
        record Refused(String field, String problem) implements Result {
        }

        /**
         * The account is disabled, or has been given another password since the person signed in (or has its own
         * already): nothing is changed, and the person signs in again.
         */
        record SignInAgain() implements Result {
        }
    }

    private final AccountStore accounts;
    private final PasswordEncoder passwords;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    InitialPasswordChange(AccountStore accounts, PasswordEncoder passwords, TransactionTemplate tx,
                          ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.tx = tx;
        this.events = events;
    }

    /**
     * @param person  who signed in with the given password
     * @param given   which stored password they signed in with
     * @param address where the request came from, for the audit record
     */
    public Result choose(SignedInPerson person, PasswordFingerprint given, String newPassword, String confirmation,
                         String address) {
        Account account = accounts.byId(person.accountId());
        if (account == null || !account.enabled() || !account.passwordChangeRequired()
                || !given.matches(account.passwordHash())) {
            return new Result.SignInAgain();
        }
        Result.Refused refused = check(account, newPassword == null ? "" : newPassword,
                confirmation == null ? "" : confirmation);
        if (refused != null) {
            return refused;
        }
        String hash = passwords.encode(newPassword);
        Boolean changed = tx.execute(status -> {
            if (!accounts.replaceGivenPassword(account.id(), account.passwordHash(), hash)) {
                return false;
            }
            events.publishEvent(new OwnPasswordChosen(person.asRequester(address), account.username()));
            return true;
        });
        return Boolean.TRUE.equals(changed) ? new Result.Changed() : new Result.SignInAgain();
    }

    private Result.Refused check(Account account, String password, String confirmation) {
        if (password.isEmpty()) {
            return new Result.Refused("new-password", "Enter a new password");
        }
        if (password.length() < MIN_LENGTH) {
            return new Result.Refused("new-password",
                    "Your new password must be at least " + MIN_LENGTH + " characters long");
        }
        if (password.length() > MAX_LENGTH) {
            return new Result.Refused("new-password",
                    "Your new password must be " + MAX_LENGTH + " characters or fewer");
        }
        if (password.toLowerCase(Locale.ROOT).contains(account.username().toLowerCase(Locale.ROOT))) {
            return new Result.Refused("new-password", "Your new password must not contain your username");
        }
        String weakness = PasswordStrength.weakness(password, account.username(), account.displayName());
        if (weakness != null) {
            return new Result.Refused("new-password", weakness);
        }
        if (!password.equals(confirmation)) {
            return new Result.Refused("confirm-password",
                    "The passwords do not match. Type the same new password in both boxes");
        }
        if (passwords.matches(password, account.passwordHash())) {
            return new Result.Refused("new-password",
                    "Your new password must be different from the password you were given");
        }
        return null;
    }
}
