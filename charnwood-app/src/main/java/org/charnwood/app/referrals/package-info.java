/**
 * Referrals into the trust's services: pathways as data (a FHIR {@code PlanDefinition} with its
 * {@code Questionnaire}: criteria in SNOMED CT ECL and simple rules, urgency levels, target times), loaded at
 * start-up and versioned through the FHIR API and an administration page; referral intake from staff pages, the
 * FHIR {@code $refer} operation and the public self-referral form, each checked against its pathway, refused with
 * field-level messages, stamped with its received time and reference; and the public directory of services. What
 * it writes follows the referral contract shared with triage and waiting-time clocks (docs/referrals.md).
 */
package org.charnwood.app.referrals;
