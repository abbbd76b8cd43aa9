/**
 * How an audit record looks: the BALP-shaped AuditEvent JSON, the codes it uses, and finding the patients
 * a resource holds data about. Internal to the audit module.
 */
package org.charnwood.app.audit.balp;
