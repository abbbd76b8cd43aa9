/**
 * The web security of the whole application: which paths need which credentials, bearer tokens at
 * {@code /fhir}, CSRF on forms, secure headers, rate limits on sign-in and token endpoints, and the
 * {@code charnwood.security.*} settings.
 */
package org.charnwood.app.security.web;
