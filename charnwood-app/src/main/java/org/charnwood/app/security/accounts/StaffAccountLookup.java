package org.charnwood.app.security.accounts;

import org.charnwood.app.security.Requester;
import org.charnwood.app.security.StaffAccounts;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** {@link StaffAccounts} from the account store: staff accounts only, never a patient's or a carer's. */
@Component
class StaffAccountLookup implements StaffAccounts {

    private final AccountStore accounts;

    StaffAccountLookup(AccountStore accounts) {
        this.accounts = accounts;
    }

    @Override
    public Optional<StaffAccount> byUsername(String username) {
        return staff(accounts.byUsername(username));
    }

    @Override
    public Optional<StaffAccount> byAuditName(String auditName) {
        Account account = auditName.contains("/") ? accounts.byFhirUser(auditName) : accounts.byId(auditName);
        return staff(account);
    }

    private static Optional<StaffAccount> staff(Account account) {
        if (account == null || account.kind() != Requester.Kind.STAFF) {
            return Optional.empty();
        }
        return Optional.of(new StaffAccount(account.fhirUser() != null ? account.fhirUser() : account.id(),
                account.username(), account.displayName()));
    }
}
