package org.charnwood.app.security.web;

import org.springframework.security.crypto.password.PasswordEncoder;

/** Today's password hashing (Argon2id), also for the account command, which hashes outside the running server. */
public final class PasswordHashing {

    private PasswordHashing() {
    }

    public static PasswordEncoder encoder() {
        return WebSecurityConfiguration.argon2();
    }
}
