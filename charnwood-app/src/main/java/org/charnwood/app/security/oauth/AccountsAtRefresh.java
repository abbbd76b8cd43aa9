package org.charnwood.app.security.oauth;

import org.charnwood.app.security.accounts.Account;
import org.charnwood.app.security.accounts.AccountStore;
import org.charnwood.app.security.accounts.LiveSignIns;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.charnwood.app.security.policy.ProxyConsents;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * A refresh makes new tokens from a grant the person gave an app earlier, maybe weeks before: the person is taken
 * as their account stands now, not as it was kept in the grant. An account since removed, disabled or locked gets
 * no more tokens ({@code invalid_grant}), and the new tokens carry the roles, organisation and record the account
 * holds now, so a role taken away is gone from the app's next access token. A carer's app gets no more tokens
 * once the patient has withdrawn the carer's proxy access to the record the grant is for ({@code invalid_grant},
 * naming no patient: the carer's app is not told whose record it was, nor that the patient chose to end it).
 */
final class AccountsAtRefresh {

    private final AccountStore accounts;
    private final LiveSignIns live;
    private final ProxyConsents consents;
    private final Clock clock;

    AccountsAtRefresh(AccountStore accounts, LiveSignIns live, ProxyConsents consents, Clock clock) {
        this.accounts = accounts;
        this.live = live;
        this.consents = consents;
        this.clock = clock;
    }

    /**
     * The person of the grant as their account is now; refuses the refresh when it may no longer sign in, or when
     * the grant is for {@code online_access} only and the session the person gave it in has ended (SMART: online
     * access lasts only while the person remains online), and a carer's when their proxy access to the grant's
     * patient ({@code launchPatient}, else the record their account cares for) is no longer in force.
     */
    SignedInPerson current(SignedInPerson granted, Set<String> grantScopes, String launchPatient) {
        Account account = accounts.byId(granted.accountId());
        if (account == null || !account.enabled() || account.lockedAt(clock.instant())) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "the account this grant is for may no longer sign in", null));
        }
        if (!grantScopes.contains("offline_access") && !live.isLive(granted)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "online access ended with the session it was given in", null));
        }
        if (account.kind() == org.charnwood.app.security.Requester.Kind.CARER
                && !stillCaring(account, launchPatient == null ? account.patientId() : launchPatient)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "the access this grant was given under has ended", null));
        }
        // How they signed in (when, and how well a provider proved who they are) is the grant's; the rest is now.
        return new SignedInPerson(account.id(), account.username(), account.kind(), account.fhirUser(),
                account.roles(), account.organisation(), account.patientId(), granted.identityProofingLevel(),
                granted.authenticatedAt());
    }

    /**
     * Whether a proxy Consent in force still lets the carer see {@code patient}'s record (any record, when the grant
     * names none). Consents are read as every request reads them, so a withdrawal counts at once.
     */
    private boolean stillCaring(Account carer, String patient) {
        String fhirUser = carer.fhirUser();
        if (fhirUser == null || !fhirUser.startsWith("RelatedPerson/")) {
            return false;
        }
        Map<String, Set<String>> permitted = consents.permittedFor(fhirUser.substring("RelatedPerson/".length()));
        return patient == null ? !permitted.isEmpty() : permitted.containsKey(patient);
    }
}
