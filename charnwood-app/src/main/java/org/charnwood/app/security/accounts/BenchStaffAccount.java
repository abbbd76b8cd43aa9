package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * The benchmark's member of staff ({@code bench.nurse}, a registered nurse, {@code Practitioner/bench-nurse}),
 * so the search phase can sign in and search as staff, through the real sign-in page and authorisation code
 * flow, with relationship checks applied. Only with the bench profile (never with production) and only when the
 * run gives a password ({@code CHARNWOOD_BENCH_STAFF_PASSWORD}); no second factor.
 */
@Component
@Profile("bench & !production")
class BenchStaffAccount {

    static final String USERNAME = "bench.nurse";

    private final AccountStore accounts;
    private final PasswordEncoder passwords;
    private final Environment environment;
    private final String password;

    BenchStaffAccount(AccountStore accounts, PasswordEncoder passwords, Environment environment,
                      @Value("${charnwood.bench.staff-password:}") String password) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.environment = environment;
        this.password = password;
    }

    @EventListener(ApplicationReadyEvent.class)
    void create() {
        if (password.isBlank() || environment.acceptsProfiles(Profiles.of("production"))) {
            return;
        }
        accounts.save(new Account("bench-nurse", USERNAME, Requester.Kind.STAFF, "Benchmark Nurse",
                passwords.encode(password), "Practitioner/bench-nurse", null, null,
                Set.of(AccessRole.REGISTERED_NURSE), "R9C", null, false, 0, null, true));
    }
}
