package org.charnwood.scheduling.generator;

import org.charnwood.scheduling.roster.Leave;
import org.charnwood.scheduling.roster.RosterProblem;
import org.charnwood.scheduling.roster.RosterStaff;
import org.charnwood.scheduling.roster.ShiftDemand;
import org.charnwood.scheduling.roster.ShiftKind;
import org.charnwood.scheduling.roster.ShiftRequest;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A community hospital ward's roster period: about 30 staff (sisters, staff nurses, nursing associates, healthcare
 * assistants), five on an early and a late and three on a night, each with a band 6+ registered nurse; a week of
 * leave for some and a few shift requests each.
 */
public final class WardRosters {

    private WardRosters() {
    }

    public static RosterProblem ward(long seed, int weeks, int staffCount) {
        Random random = new Random(seed);
        LocalDate first = LocalDate.of(2026, 11, 30).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        int days = weeks * 7;
        List<RosterStaff> staff = new ArrayList<>();
        for (int i = 0; i < staffCount; i++) {
            int slot = i % 10;
            int band = slot < 3 ? 6 : slot < 6 ? 5 : slot < 7 ? 4 : 3;
            if (i == 0) {
                band = 7;
            }
            boolean registered = band >= 5;
            double hours = random.nextDouble() < 0.7 ? 37.5 : 22.5;
            staff.add(new RosterStaff("staff-" + (i + 1), "Staff " + (i + 1), band, registered, hours));
        }
        List<ShiftDemand> demand = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate date = first.plusDays(d);
            boolean weekend = date.getDayOfWeek().getValue() >= 6;
            demand.add(new ShiftDemand(date, ShiftKind.EARLY, weekend ? 4 : 5, 1));
            demand.add(new ShiftDemand(date, ShiftKind.LATE, weekend ? 4 : 5, 1));
            demand.add(new ShiftDemand(date, ShiftKind.NIGHT, 3, 1));
        }
        List<Leave> leave = new ArrayList<>();
        List<ShiftRequest> requests = new ArrayList<>();
        for (RosterStaff member : staff) {
            if (random.nextDouble() < 0.3) {
                LocalDate start = first.plusDays(7L * random.nextInt(weeks));
                leave.add(new Leave(member.id(), start, start.plusDays(6)));
            }
            for (int r = 0; r < 3; r++) {
                LocalDate date = first.plusDays(random.nextInt(days));
                ShiftKind kind = ShiftKind.values()[random.nextInt(3)];
                requests.add(new ShiftRequest(member.id(), date, random.nextBoolean() ? kind : null,
                        random.nextDouble() < 0.4));
            }
        }
        return new RosterProblem("Ward 3, Loughborough Community Hospital", first, days, staff, demand, leave,
                requests);
    }
}
