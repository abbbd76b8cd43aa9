package org.charnwood.app.security;

/**
 * A person chose their own password in place of the one an administrator gave them, at the sign-in that asked
 * them to. Published inside the transaction that stores the new password, so the audit trail's record of it
 * commits with the change or not at all.
 *
 * @param person   who changed it, as they signed in
 * @param username the account's name
 */
public record OwnPasswordChosen(Requester person, String username) {
}
