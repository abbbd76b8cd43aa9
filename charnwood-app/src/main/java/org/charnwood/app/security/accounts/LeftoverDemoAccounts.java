package org.charnwood.app.security.accounts;

import org.charnwood.app.security.oauth.DemoMode;
import org.charnwood.app.security.web.SecuritySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Outside demo mode, the demo accounts are disabled at start-up. Their password is published, so a data folder
 * used once for a demo and then started for real (production profile, or simply without the demo profile) must
 * not let {@code demo.sysadmin} or a demo patient sign in. Done once every singleton exists (the database is
 * migrated) and before the web server takes requests. Disabled rather than deleted: the audit trail and grants
 * name them. Demo mode enables them again ({@link DemoAccounts}).
 */
@Component
class LeftoverDemoAccounts implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(LeftoverDemoAccounts.class);

    private final AccountStore accounts;
    private final SecuritySettings settings;
    private final Environment environment;

    LeftoverDemoAccounts(AccountStore accounts, SecuritySettings settings, Environment environment) {
        this.accounts = accounts;
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (DemoMode.active(environment, settings)) {
            return;
        }
        int disabled = accounts.setEnabled(DemoAccounts.ACCOUNT_IDS, false);
        if (disabled > 0) {
            // A count only: the accounts are well known, and some stand for demo patients.
            log.warn("Disabled {} demo accounts left from an earlier start in demo mode; this start is not in demo mode",
                    disabled);
        }
    }
}
