/**
 * The staff pages' common ground: the shared page layout on the NHS.UK frontend (header with the signed-in
 * user, navigation, skip link, footer), the error summary and inline error pattern for forms
 * ({@link org.charnwood.app.web.FormErrors}), and the {@link org.charnwood.app.web.StaffPages} marker that
 * gives a controller's pages the signed-in user. Pages themselves live in the capabilities that own them.
 */
package org.charnwood.app.web;
