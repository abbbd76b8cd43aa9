package org.charnwood.app.security;

/**
 * A member of staff signing in through a staff identity provider for the first time was linked to the local account
 * they already had, found by the SDS user id the provider gave them on the Practitioner record the account is for.
 * Published inside the transaction that stores the link, so the audit trail's record of it commits with the link or
 * not at all.
 *
 * @param person   who signed in, as the linked account
 * @param username the local account's name
 * @param provider the identity provider's registration id ({@code cis2})
 * @param subject  the person's subject at that provider
 */
public record FederatedIdentityLinked(Requester person, String username, String provider, String subject) {
}
