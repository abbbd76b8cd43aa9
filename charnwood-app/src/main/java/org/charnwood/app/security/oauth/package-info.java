/**
 * The SMART App Launch v2 authorisation server: registered clients (settings and admin API), SMART scopes, launch
 * contexts, the claims written into access and ID tokens, the signing key, and the {@code RequesterSource} that
 * turns a verified access token back into a {@code Requester}.
 */
package org.charnwood.app.security.oauth;
