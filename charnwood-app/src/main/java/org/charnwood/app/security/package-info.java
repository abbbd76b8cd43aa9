/**
 * Security: who the caller is ({@link org.charnwood.app.security.Requester}, made by a
 * {@link org.charnwood.app.security.RequesterSource}) and the roles staff act in. Authentication, the SMART on
 * FHIR authorisation server and the access policy live here; other capabilities depend only on this
 * top-level API.
 */
package org.charnwood.app.security;
