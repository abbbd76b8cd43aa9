package org.charnwood.app.triage;

/** One question of the referral form and what the referrer answered. */
public record Answer(String question, String answer) {
}
