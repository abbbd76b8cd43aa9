package org.charnwood.app.security;

import java.time.Instant;

/** A sign-out, or a session ended by timeout ({@code timedOut}), published for the audit trail. */
public record SignOutRecorded(Requester requester, boolean timedOut, Instant at) {
}
