/**
 * Where audit records live: appending to the hash chain under an advisory lock, the group-commit appender
 * for reads, chain verification and AuditEvent search over the {@code audit} schema. Internal to the audit
 * module.
 */
package org.charnwood.app.audit.store;
