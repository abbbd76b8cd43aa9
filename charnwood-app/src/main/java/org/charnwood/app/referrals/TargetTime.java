package org.charnwood.app.referrals;

import java.time.Duration;

/** A pathway's target time: a clock of the referral-clock code system and how long it may run. */
record TargetTime(String clock, Duration due) {
}
