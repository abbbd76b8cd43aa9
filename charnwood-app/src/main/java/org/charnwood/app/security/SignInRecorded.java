package org.charnwood.app.security;

import java.time.Instant;

/**
 * A sign-in attempt, successful or not, published as an application event so the audit trail records it.
 *
 * @param requester      the caller once signed in; for a failed attempt an anonymous requester
 * @param username       the account name given (never the password)
 * @param succeeded      whether the attempt signed the person in
 * @param failureReason  why it failed (bad credentials, locked, second factor wrong); null on success
 * @param at             when it happened
 */
public record SignInRecorded(Requester requester, String username, boolean succeeded, String failureReason,
                             Instant at) {
}
