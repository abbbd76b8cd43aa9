/**
 * The patient's own say over their carers' proxy access ({@code /my/carers}): who can see their record, since
 * when and what, and stopping or changing it. Proxy access is a FHIR Consent ({@link
 * org.charnwood.app.security.policy.ProxyConsents}); giving it to someone new stays with clinical staff, who
 * check the carer's identity first.
 */
package org.charnwood.app.security.carers;
