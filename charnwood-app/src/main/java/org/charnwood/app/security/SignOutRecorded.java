package org.charnwood.app.security;

import java.time.Instant;

/**
 * A sign-out, or a session ended by timeout ({@code timedOut}) or for a {@code reason} (an administrator disabled
 * the account, say), published for the audit trail.
 */
public record SignOutRecorded(Requester requester, boolean timedOut, Instant at, String reason) {

    /** A sign-out the person made, or (with {@code timedOut}) a timeout. */
    public SignOutRecorded(Requester requester, boolean timedOut, Instant at) {
        this(requester, timedOut, at, timedOut ? "session timed out" : null);
    }
}
