/**
 * Local accounts and signing in to this server: staff, patients and carers in PostgreSQL with Argon2id password
 * hashes, TOTP second factor for staff, lockout after repeated failures, idle and absolute session timeouts,
 * federated sign-in through external OpenID Connect providers (CIS2-style for staff, NHS login style for
 * patients), the sign-in pages, and the demo accounts of the demo profile.
 */
package org.charnwood.app.security.accounts;
