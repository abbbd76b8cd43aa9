/**
 * Referral triage and waiting lists: each service's queue of referrals awaiting a decision, the decisions
 * (accept, reject, redirect, ask the referrer for more information) recorded as FHIR Tasks in one transaction
 * each, confirming who sent a self-referral before it reaches an existing record, the clocks measured from the recorded events (referral to triage, referral to first contact, the 2-hour
 * urgent community response and the 2-day reablement standards), waiting lists and compliance per service, and
 * the referrer's view of their own referrals. It works only from the FHIR resources the referral contract
 * names (PlanDefinition pathways, ServiceRequest referrals, Tasks, EpisodeOfCare, Encounter), never from the
 * classes of the intake that creates them.
 */
package org.charnwood.app.triage;
