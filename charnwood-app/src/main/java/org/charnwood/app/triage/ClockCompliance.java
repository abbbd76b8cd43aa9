package org.charnwood.app.triage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How one clock did for a set of referrals (those a service received in a month): how many stopped within
 * target, how many breached (stopped late, or still running past target), and how many are still running
 * within target and so not yet decided either way.
 */
public record ClockCompliance(ReferralClock clock, int met, int breached, int pending) {

    /** Percentage of the decided referrals that met the target, or null when none is decided yet. */
    public Integer percentMet() {
        int decided = met + breached;
        return decided == 0 ? null : (int) Math.round(100.0 * met / decided);
    }

    /** The clocks that ran for any of the referrals, in clock order. */
    static List<ClockCompliance> of(List<Referral> referrals) {
        Map<ReferralClock, int[]> counts = new EnumMap<>(ReferralClock.class);
        for (Referral r : referrals) {
            for (ClockReading c : r.clocks()) {
                int[] n = counts.computeIfAbsent(c.clock(), k -> new int[3]);
                switch (c.state()) {
                    case MET -> n[0]++;
                    case BREACHED -> n[1]++;
                    default -> n[2]++;
                }
            }
        }
        List<ClockCompliance> out = new ArrayList<>();
        counts.forEach((clock, n) -> out.add(new ClockCompliance(clock, n[0], n[1], n[2])));
        return out;
    }
}
