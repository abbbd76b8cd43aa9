package org.charnwood.app.security.oauth;

import org.charnwood.app.security.accounts.Account;
import org.charnwood.app.security.accounts.AccountStore;
import org.charnwood.app.security.accounts.LiveSignIns;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

import java.time.Clock;
import java.util.Set;

/**
 * A refresh makes new tokens from a grant the person gave an app earlier, maybe weeks before: the person is taken
 * as their account stands now, not as it was kept in the grant. An account since removed, disabled or locked gets
 * no more tokens ({@code invalid_grant}), and the new tokens carry the roles, organisation and record the account
 * holds now, so a role taken away is gone from the app's next access token.
 */
final class AccountsAtRefresh {

    private final AccountStore accounts;
    private final LiveSignIns live;
    private final Clock clock;

    AccountsAtRefresh(AccountStore accounts, LiveSignIns live, Clock clock) {
        this.accounts = accounts;
        this.live = live;
        this.clock = clock;
    }

    /**
     * The person of the grant as their account is now; refuses the refresh when it may no longer sign in, or when
     * the grant is for {@code online_access} only and the session the person gave it in has ended (SMART: online
     * access lasts only while the person remains online).
     */
    SignedInPerson current(SignedInPerson granted, Set<String> grantScopes) {
        Account account = accounts.byId(granted.accountId());
        if (account == null || !account.enabled() || account.lockedAt(clock.instant())) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "the account this grant is for may no longer sign in", null));
        }
        if (!grantScopes.contains("offline_access") && !live.isLive(granted)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "online access ended with the session it was given in", null));
        }
        // How they signed in (when, and how well a provider proved who they are) is the grant's; the rest is now.
        return new SignedInPerson(account.id(), account.username(), account.kind(), account.fhirUser(),
                account.roles(), account.organisation(), account.patientId(), granted.identityProofingLevel(),
                granted.authenticatedAt());
    }
}
