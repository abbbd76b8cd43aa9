package org.charnwood.app.security.accounts;

import org.charnwood.app.security.ProductionSafeguards;
import org.charnwood.app.security.Requester;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether a local account must give a TOTP code after its password. Every local staff account must, unless
 * {@code charnwood.security.staff-totp-required} is off, which only the demo, dev and bench profiles do (so the README's
 * demo accounts and a developer's test accounts sign in with a password alone); every other profile requires it
 * whatever the setting says. An account flagged {@code totp_required} (such as {@code demo.totp}) always needs it.
 * A staff account with no secret yet is taken through enrolment at its first sign-in. Federated staff are not
 * asked: their provider's assurance level (AAL2 or above) is checked instead ({@link IdentityAssurance}).
 */
@Component
public class StaffSecondFactor {

    private final boolean staffRequired;

    StaffSecondFactor(@Value("${charnwood.security.staff-totp-required:true}") boolean setting, Environment environment) {
        this.staffRequired = setting || ProductionSafeguards.enforced(environment);
    }

    public boolean requiredFor(Account account) {
        return account.totpRequired() || (staffRequired && account.kind() == Requester.Kind.STAFF);
    }
}
